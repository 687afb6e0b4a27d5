from django.urls import path

from keyprojects.cadence import views

app_name = "cadence"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/panel/", views.dashboard_panel, name="dashboard_panel"),
    path("agenda/", views.agenda, name="agenda"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/refresh/", views.meeting_refresh, name="meeting_refresh"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin.docx", views.bulletin_docx_download, name="bulletin_docx"),
    path("bulletin.xlsx", views.bulletin_xlsx_download, name="bulletin_xlsx"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("quarterly.xlsx", views.quarterly_xlsx_download, name="quarterly_xlsx"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/status/", views.round_status, name="round_status"),
    path("rounds/<int:pk>/results.xlsx", views.round_xlsx_download, name="round_xlsx"),
    path("rounds/<int:pk>/targets/<int:target_pk>/score/", views.round_score, name="round_score"),
    path("rounds/<int:pk>/targets/<int:target_pk>/summary/", views.target_summary, name="target_summary"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment.xlsx", views.assessment_xlsx_download, name="assessment_xlsx"),
    path("assessment/rules/", views.assessment_rules, name="assessment_rules"),
    path("assessment/rules/<int:pk>/", views.assessment_rule_edit, name="assessment_rule_edit"),
]
