"""The small exception hierarchy every interface turns into a message (on the web, a status)."""


class GlutecoachError(Exception):
    """Anything glutecoach reports to the user as a readable message rather than a traceback."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(GlutecoachError):
    """The user's input (a profile, answers, a file) is malformed or has a wrong value."""

    status_code = 422


class NotFound(GlutecoachError):
    """Something named by the user (an exercise id, a file) does not exist."""

    status_code = 404


class RuleViolation(GlutecoachError):
    """The input is well formed but asks for something the rules cannot give."""

    status_code = 409


class DataError(GlutecoachError):
    """The packaged reference data is inconsistent; a bug in the shipped YAML, not in user input."""

    status_code = 500


class Referral(GlutecoachError):
    """Red-flag pain: the programme stops for that area; the runner is told to see a clinician."""

    status_code = 409


class Forbidden(GlutecoachError):
    """The actor is known but may not do this (a runner asking for a clinician-only action)."""

    status_code = 403


class TooManyAttempts(GlutecoachError):
    """Too many failed log-ins for an email or an address; try again after `retry_after_s`."""

    status_code = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
