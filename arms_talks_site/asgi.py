"""The ASGI entry point `make run` serves (gunicorn with uvicorn workers: see the README, "Serving")."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms_talks_site.settings.production")
application = get_asgi_application()
