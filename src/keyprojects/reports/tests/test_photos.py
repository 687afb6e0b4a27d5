"""Photos: type and size checks, thumbnails, EXIF time and GPS flags against the week and the project's site."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from keyprojects.core.testing.fixtures import SYSTEM, World
from keyprojects.reports import actions
from keyprojects.reports.photos import PhotoError, inspect_photo, make_test_jpeg
from keyprojects.reports.testing import submit
from keyprojects.reports.weeks import IsoWeek

W13 = IsoWeek(2024, 13)  # 2024-03-25 … 03-31
SITE = (Decimal("36.760000"), Decimal("119.200000"))


def test_exif_time_and_gps_are_read() -> None:
    data = make_test_jpeg(dt.datetime(2024, 3, 28, 10, 15, 2), (36.7789, 119.2101), size=(1200, 900))
    info = inspect_photo(data, 10 * 1024 * 1024)
    assert info.taken_at == dt.datetime(2024, 3, 28, 10, 15, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert (info.latitude, info.longitude) == (Decimal("36.778900"), Decimal("119.210100"))
    assert Image.open(io.BytesIO(info.thumbnail_jpeg)).size == (480, 360)
    utc = inspect_photo(make_test_jpeg(dt.datetime(2024, 3, 28, 2, 0), None, offset="+00:00"), 10**7)
    assert utc.taken_at == dt.datetime(2024, 3, 28, 2, 0, tzinfo=dt.UTC)


def test_bad_files_are_refused_with_clear_messages() -> None:
    with pytest.raises(PhotoError, match="^无法识别的图片文件，请上传 JPG、PNG 或 WEBP 格式的照片。$"):
        inspect_photo(b"%PDF-1.4 not an image", 10**7)
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    with pytest.raises(PhotoError, match="^不支持的图片格式（GIF），请上传 JPG、PNG 或 WEBP 格式的照片。$"):
        inspect_photo(gif.getvalue(), 10**7)
    with pytest.raises(PhotoError, match=r"^照片过大（0.0MB），单张不能超过0.0MB。$"):
        inspect_photo(make_test_jpeg(), 100)
    with pytest.raises(PhotoError, match="^照片文件为空。$"):
        inspect_photo(b"", 100)


@pytest.mark.django_db
def test_photo_flags_on_the_report(world: World, settings: object) -> None:
    project = world.inside.project
    actions.do_set_project_location(SYSTEM, project, *SITE)
    project.refresh_from_db()
    report = submit(project, W13, 1000, 2000)
    good = actions.do_add_photo(
        SYSTEM, report, make_test_jpeg(dt.datetime(2024, 3, 27, 9, 0), (36.765, 119.205)), "本周.jpg"
    )
    assert not good.flagged and good.distance_km == 0.71
    old = actions.do_add_photo(
        SYSTEM, report, make_test_jpeg(dt.datetime(2024, 3, 10, 9, 0), (36.9, 119.2)), "旧照片.jpg"
    )
    assert old.taken_before_week and old.far_from_project and old.distance_km == 15.57
    assert old.flag_messages() == [
        "照片拍摄于2024年03月10日，早于所报周（03月25日起）。",
        "照片拍摄地点距项目约15.6公里，可能不是本项目现场。",
    ]
    bare = actions.do_add_photo(SYSTEM, report, make_test_jpeg(), "无信息.jpg")
    assert not bare.flagged and bare.info_messages() == ["照片无拍摄时间信息", "照片无定位信息"]
    assert bare.thumbnail.read()[:2] == b"\xff\xd8"
    with pytest.raises(ValidationError) as caught:
        actions.do_add_photo(SYSTEM, report, b"GIF89a", "a.gif")
    assert caught.value.message_dict == {"photo": ["无法识别的图片文件，请上传 JPG、PNG 或 WEBP 格式的照片。"]}
    assert report.photos.count() == 3
