"""The audit trail of requests (issue 9): who was refused what, from where. Filled in by
the audit work; a pass-through until then."""


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
