"""A change a service refuses: the message says why, and nothing was changed.

`str()` is English (logs, the command line, the API); `localized()` is the message in the
active language, for pages. Each area names its own subclass (CallbackRefused, …) so a
view catches only its own area's refusals.
"""

from django.utils.translation import gettext


class Refused(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def localized(self) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text
