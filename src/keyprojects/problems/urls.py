from django.urls import path

from keyprojects.problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("export.xlsx", views.problem_export, name="export"),
    path("units/", views.unit_queue, name="unit_queue"),
    path("direct/", views.direct_queue, name="direct_queue"),
    path("overdue/", views.overdue_board, name="overdue_board"),
    path("summons/", views.summons, name="summons"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.problem_act, name="act"),
    path("new/<int:pk>/", views.raise_problem, name="raise"),
    path("project/<int:pk>/card/", views.project_card, name="project_card"),
    path("elements/", views.elements, name="elements"),
    path("elements/project/<int:pk>/", views.element_edit, name="element_edit"),
    path("elements/<int:pk>/raise/", views.element_raise, name="element_raise"),
    path("rules/", views.rules_list, name="rules"),
    path("rules/<int:pk>/", views.rules_edit, name="rules_edit"),
    path("calendar/", views.calendar, name="calendar"),
]
