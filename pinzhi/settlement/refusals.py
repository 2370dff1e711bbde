from pinzhi.core.refusals import Refused


class SettlementRefused(Refused):
    """A settlement change that is not allowed (pinzhi.core.refusals)."""
