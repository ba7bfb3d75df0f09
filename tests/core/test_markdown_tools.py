"""The Markdown editor's preview and upload answer editors only, and store only clean raster images."""

import io
import urllib.error
import urllib.request
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><circle r="5"/></svg>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def member_of(group: str) -> User:
    user = User.objects.create_user(f"{group.lower()}-{uuid.uuid4().hex[:6]}", password="pw-Edit0r!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(client):
    client.force_login(member_of("Editors"))
    return client


def png(size=(40, 30), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG", **save_options)
    return out.getvalue()


def upload(client, name, data, content_type="image/png"):
    return client.post("/markdownx/upload/", {"image": SimpleUploadedFile(name, data, content_type=content_type)})


def test_an_anonymous_visitor_can_neither_preview_nor_upload(client, media):
    assert client.post("/markdownx/markdownify/", {"content": "*hi*"}).status_code == 403
    assert upload(client, "x.svg", SVG, "image/svg+xml").status_code == 403
    assert upload(client, "x.png", png()).status_code == 403
    assert stored(media) == []


def test_a_signed_in_user_without_edit_rights_gets_403_not_a_login_loop(client):
    client.force_login(User.objects.create_user("nobody", password="pw-N0body!", is_staff=True))
    response = client.post("/markdownx/markdownify/", {"content": "*hi*"})
    assert response.status_code == 403


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Teachers"])
def test_people_who_write_markdown_in_the_admin_get_the_preview(client, group):
    client.force_login(member_of(group))
    response = client.post("/markdownx/markdownify/", {"content": "*hi* <script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<em>hi</em>" in response.content.decode() and "<script" not in response.content.decode()


def test_the_preview_refuses_text_longer_than_any_field_with_413(editor):
    response = editor.post("/markdownx/markdownify/", {"content": "a" * 200_001})
    assert response.status_code == 413
    assert "the limit is 200,000" in response.content.decode()


def test_the_preview_of_twenty_kilobytes_of_brackets_answers(editor):
    response = editor.post("/markdownx/markdownify/", {"content": "[" * 20_000})
    assert response.status_code == 200


def test_an_svg_is_refused_with_a_clear_message_even_from_an_editor(editor, media):
    response = upload(editor, "x.svg", SVG, "image/svg+xml")
    assert response.status_code == 400
    assert "Only PNG, JPEG or WebP" in response.json()["image"][0]
    assert stored(media) == []


def test_a_script_dressed_as_a_png_is_refused(editor, media):
    response = upload(editor, "x.png", b"<script>alert(1)</script>", "image/png")
    assert response.status_code == 400
    assert "Only PNG, JPEG or WebP" in response.json()["image"][0]
    assert stored(media) == []


def test_a_png_is_stored_reencoded_without_its_metadata(editor, media):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    response = upload(editor, "photo.png", png(pnginfo=info))
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](/media/markdownx/")
    [saved] = stored(media)
    assert saved.suffix == ".png"
    assert b"<script>" not in saved.read_bytes()
    with Image.open(saved) as image:
        assert image.size == (40, 30) and "Comment" not in image.info


def test_a_jpeg_loses_its_exif(editor, media):
    exif = Image.Exif()
    exif[0x010E] = "GPS of a pupil's home"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="JPEG", exif=exif.tobytes())
    assert upload(editor, "p.jpg", out.getvalue(), "image/jpeg").status_code == 200
    [saved] = stored(media)
    assert b"GPS of a pupil" not in saved.read_bytes()


def test_an_image_wider_than_6000_pixels_is_refused(editor, media):
    response = upload(editor, "wide.png", png(size=(6001, 1)))
    assert response.status_code == 400
    assert "6,000 pixels" in response.json()["image"][0]
    assert stored(media) == []


def test_a_damaged_png_is_refused(editor, media):
    response = upload(editor, "cut.png", png()[:60])
    assert response.status_code == 400
    assert "damaged" in response.json()["image"][0]
    assert stored(media) == []


def test_a_file_over_5_mb_is_refused(editor, media):
    response = upload(editor, "big.png", png() + b"\0" * (5 * 1024 * 1024))
    assert response.status_code == 400
    assert "larger than 5 MB" in response.json()["image"][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_against_a_running_server_an_anonymous_svg_upload_stores_nothing(live_server, media):
    boundary = "xx-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="x.svg"\r\n'
            f"Content-Type: image/svg+xml\r\n\r\n"
        ).encode()
        + SVG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{live_server.url}/markdownx/upload/",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
    assert stored(media) == []


def test_the_admin_form_of_a_glossary_term_refuses_a_definition_over_200_kb():
    from documents.models import GlossaryTerm

    form_class = GlossaryTerm.snippet_viewset.get_form_class()
    form = form_class(data={"term": "Huge", "slug": "huge", "definition": "a" * 200_001, "category": "other"})
    assert not form.is_valid()
    assert "the limit is 200,000" in " ".join(form.errors["definition"])
