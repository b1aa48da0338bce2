"""Every coordinate has a sensitivity class, so the administration page can show it."""

from __future__ import annotations

from pathlib import Path

from api.authz.coordinates import field_coordinates
from api.authz.sensitivity import SensitivityClasses

POLICIES = Path(__file__).parents[2] / "policies"


def test_every_field_coordinate_has_a_sensitivity_class():
    classes = SensitivityClasses.load(POLICIES)
    missing = sorted(c for c in field_coordinates() if classes.of(c) is None)
    assert missing == []


def test_the_most_specific_pattern_wins():
    classes = SensitivityClasses.load(POLICIES)
    assert classes.of("Decision.asylumGrounds") == "C4"
    assert classes.of("Decision.type") == "C1"
    assert classes.of("HealthAssessment.diagnoses") == "C3"
