from . import activity_webhook
