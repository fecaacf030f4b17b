"""The project's settings with DRF's throttles off, for ``tools/faultload.py --no-throttle``:
it tells failures of the throttle (the shared cache) apart from the rest under faults."""

from crm_project.settings import *  # noqa: F403
from crm_project.settings import REST_FRAMEWORK

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
