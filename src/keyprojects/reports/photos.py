"""Photo checks without the database: type and size, EXIF capture time and GPS position, thumbnail, distance.

Phones write the capture time as local wall-clock time ("2024:03:28 10:15:02") with an optional offset tag; without the
offset we read it as Asia/Shanghai time. GPS positions are WGS-84 degrees/minutes/seconds with N/S and E/W references.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD, Base

from keyprojects.core.clock import SHANGHAI

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo is the largest we accept
THUMBNAIL_SIZE = (480, 480)


class PhotoError(ValueError):
    """An upload that is not an acceptable photo; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class PhotoInfo:
    format: str
    content_type: str
    width: int
    height: int
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    thumbnail_jpeg: bytes


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}MB"


def too_large_message(size: int, max_bytes: int) -> str:
    return _("照片过大（%(size)s），单张不能超过%(limit)s。") % {"size": _mb(size), "limit": _mb(max_bytes)}


def inspect_photo(data: bytes, max_bytes: int) -> PhotoInfo:
    """Check an uploaded photo and read its EXIF; raise PhotoError with a clear message when it is not acceptable."""
    if not data:
        raise PhotoError(_("照片文件为空。"))
    if len(data) > max_bytes:
        raise PhotoError(too_large_message(len(data), max_bytes))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError(_("无法识别的图片文件，请上传 JPG、PNG 或 WEBP 格式的照片。")) from exc
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(
            _("不支持的图片格式（%(format)s），请上传 JPG、PNG 或 WEBP 格式的照片。") % {"format": image.format}
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise PhotoError(_("照片像素过大（%(width)s×%(height)s），请压缩后上传。") % {"width": width, "height": height})
    exif = image.getexif()
    taken_at = _taken_at(exif)
    latitude, longitude = _gps(exif)
    thumb = ImageOps.exif_transpose(image)
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=80, optimize=True)
    return PhotoInfo(
        format=str(image.format),
        content_type=ALLOWED_FORMATS[str(image.format)],
        width=width,
        height=height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        thumbnail_jpeg=out.getvalue(),
    )


def _taken_at(exif: Image.Exif) -> dt.datetime | None:
    details = exif.get_ifd(IFD.Exif)
    text = details.get(Base.DateTimeOriginal) or details.get(Base.DateTimeDigitized) or exif.get(Base.DateTime)
    if not text:
        return None
    try:
        naive = dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 - EXIF has no zone
    except ValueError:
        return None
    offset = details.get(Base.OffsetTimeOriginal) or details.get(Base.OffsetTime)
    if offset:
        try:
            return dt.datetime.fromisoformat(f"{naive:%Y-%m-%dT%H:%M:%S}{str(offset).strip()}")
        except ValueError:
            pass
    return naive.replace(tzinfo=SHANGHAI)


def _degrees(value: Any) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def _gps(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(IFD.GPSInfo)
    try:
        lat = _degrees(gps[GPS.GPSLatitude])
        lon = _degrees(gps[GPS.GPSLongitude])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if str(gps.get(GPS.GPSLatitudeRef, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(GPS.GPSLongitudeRef, "E")).upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on a 6371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def make_test_jpeg(
    taken_at: dt.datetime | None = None,
    position: tuple[float, float] | None = None,
    size: tuple[int, int] = (64, 48),
    offset: str | None = None,
) -> bytes:
    """A small JPEG with the given EXIF capture time and GPS position (for tests and the demo)."""
    image = Image.new("RGB", size, (70, 130, 180))
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            exif.get_ifd(IFD.Exif)[Base.OffsetTimeOriginal] = offset
    if position is not None:
        lat, lon = position

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round((value - d - m / 60) * 3600, 4)
            return (float(d), float(m), s)

        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[GPS.GPSLatitude] = dms(lat)
        gps[GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[GPS.GPSLongitude] = dms(lon)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
