"""Settings for the test suite: the project's settings with a fast password hasher.

PBKDF2 costs about 0.3 s per hash by design; tests create hundreds of users, and none of them
tests the hasher. Live-server tests inherit DJANGO_SETTINGS_MODULE, so they hash the same way.
"""

from crm_project.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
