"""The shared contribution fixtures: accounts, a moderator with TOTP, mail in memory."""

from tests.contribution_fixtures import *  # noqa: F403
