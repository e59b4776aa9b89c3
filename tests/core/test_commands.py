import pytest
from django.core.management import get_commands, load_command_class


def project_commands() -> list[tuple[str, str]]:
    return sorted((app, name) for name, app in get_commands().items() if app.startswith("carrefour."))


def test_the_project_has_its_commands():
    names = {name for _, name in project_commands()}
    assert {"demo", "serve", "load_gazetteer", "load_taxonomy", "reindex"} <= names


@pytest.mark.parametrize(("app", "name"), project_commands())
def test_every_command_prints_its_help_in_french(app, name):
    command = load_command_class(app, name)
    text = command.create_parser("carrefour", name).format_help()
    assert command.help and str(command.help) in " ".join(text.split())
