"""Template context: the navigation that fits the user's role."""


def navigation(request):
    return {}
