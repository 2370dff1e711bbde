"""The audit trail of requests (issue 9): a refusal (403, 401, and a 404 for a signed-in
user: another scope's object is a 404 by design) and a downloaded file (a response with a
Content-Disposition: exports, PDFs, evidence) are each an audit row with who, from where
and what. One choke point for every page and endpoint."""

from pinzhi.core.audit import audit, current_request

REFUSALS = {401, 403}


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        status = response.status_code
        if status in REFUSALS or (status == 404 and signed_in):
            audit(action="access.denied", kind="path", key=request.path, request=request,
                  data={"method": request.method, "status": status})
        elif status == 200 and response.has_header("Content-Disposition"):
            audit(action="export.downloaded", kind="path", key=request.path, request=request,
                  data={"file": response["Content-Disposition"][:200],
                        "query": request.META.get("QUERY_STRING", "")[:200]})
        return response
