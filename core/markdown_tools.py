"""The Markdown editor's two endpoints (django-markdownx's preview and image upload), for editors only.

markdownx's own views answer anyone and store whatever the browser calls an image (an SVG with `onload=`
included). These take their place at the same URLs: only signed-in staff who may edit some Markdown reach
them (403 otherwise, so the editor's script gets an answer rather than a login page), the preview refuses
text longer than any field may hold, and an upload must be a PNG, JPEG or WebP that Pillow can decode. It is
stored re-encoded from its pixels alone, so no metadata, script or trailing payload survives.
"""

import io
import uuid

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from PIL import Image, UnidentifiedImageError
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.markdown import MAX_MARKDOWN_CHARS, render_markdown

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}  # Pillow's name → file extension
UPLOAD_FOLDER = "markdownx"
ONLY_RASTER = "Only PNG, JPEG or WebP images can be uploaded (no SVG, GIF or other files)."


def markdown_models() -> list:
    """Models with a Markdown field: whoever may change one of them uses the editor."""
    return [
        model
        for model in apps.get_models()
        if any(isinstance(field, MarkdownxField) for field in model._meta.get_fields())
    ]


def can_edit_markdown(user) -> bool:
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    for model in markdown_models():
        if not issubclass(model, Page) and user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            return True
    # Pages are edited under Wagtail's page permissions (per section of the tree), not model permissions.
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change"})


def editors_only(view):
    def wrapped(request, *args, **kwargs):
        if not can_edit_markdown(request.user):
            raise PermissionDenied("The Markdown tools are for editors signed in to the admin.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_POST
@editors_only
def markdownify(request):
    """The editor's live preview: the same rendering and sanitising as the public page."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Nothing to preview: the form sent no content.", content_type="text/plain")
    if len(content) > MAX_MARKDOWN_CHARS:
        return HttpResponse(
            f"This text is {len(content):,} characters long; the limit is {MAX_MARKDOWN_CHARS:,}.",
            status=413,
            content_type="text/plain",
        )
    return HttpResponse(render_markdown(content))


class UploadRefused(Exception):
    """Why an upload was not stored, in words for the editor."""


def clean_image(upload) -> tuple[bytes, str]:
    """The upload re-encoded from its pixels (no metadata), with its extension; UploadRefused otherwise."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    try:
        with Image.open(upload) as image:
            kind = image.format
            if kind not in FORMATS:
                raise UploadRefused(ONLY_RASTER)
            if max(image.size) > MAX_IMAGE_SIDE:
                raise UploadRefused(f"The image is larger than {MAX_IMAGE_SIDE:,} pixels on a side.")
            image.load()
            pixels = image.convert(
                "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
            )
    except UnidentifiedImageError as error:
        raise UploadRefused(ONLY_RASTER) from error
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UploadRefused("This image is damaged and cannot be read.") from error
    if kind == "JPEG":
        pixels = pixels.convert("RGB")
    # A fresh image from the raw pixels carries no EXIF, XMP, ICC or text chunks.
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    fresh.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    return out.getvalue(), FORMATS[kind]


@require_POST
@editors_only
def upload(request):
    """An image for a Markdown field; answers with the Markdown that shows it, as markdownx's script expects."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        data, extension = clean_image(upload)
    except UploadRefused as refused:
        return JsonResponse({"image": [str(refused)]}, status=400)
    name = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{extension}", ContentFile(data))
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})


urlpatterns = [
    path("upload/", upload, name="markdownx_upload"),
    path("markdownify/", markdownify, name="markdownx_markdownify"),
]
