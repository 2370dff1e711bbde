"""False contact details (rules §4.6): is a customer's phone an agent's or a branch's?

`PhoneBook.is_false` is the rule, pure; `load_phone_book` reads every agent's phone and
every unit's landlines once. Numbers are compared in the normalised form the imports
store (parsers.normalise_phone).
"""

from dataclasses import dataclass

from django.db.models import Q

from pinzhi.core.importing.parsers import normalise_phone
from pinzhi.org.models import Agent, Unit


@dataclass(frozen=True)
class PhoneBook:
    agents: dict[str, frozenset[str]]  # phone -> ID numbers of the agents who have it
    landlines: frozenset[str]

    def is_false(self, phone: str, applicant_id_number: str) -> bool:
        """A branch's landline, or an agent's phone unless the applicant is that agent
        (agents may insure themselves)."""
        if phone in self.landlines:
            return True
        owners = self.agents.get(phone)
        return bool(owners) and applicant_id_number not in owners

    def owner_of(self, phone: str) -> str:
        """What the number is, for the case's evidence."""
        if phone in self.landlines:
            return "unit landline"
        return "agent phone" if phone in self.agents else ""


def load_phone_book(phones: set[str] | None = None) -> PhoneBook:
    """Every agent's phone and unit's landline, or (for a few policies) only those that
    are among `phones`."""
    agent_rows = Agent.objects.live()
    unit_rows = Unit.objects.live().exclude(phones="")
    if phones is not None:
        agent_rows = agent_rows.filter(phone__in=phones)
        match = Q(pk__in=[])
        for number in phones:
            match |= Q(phones__contains=number)
        unit_rows = unit_rows.filter(match)
    agents: dict[str, set[str]] = {}
    for phone, id_number in agent_rows.values_list("phone", "id_number"):
        agents.setdefault(normalise_phone(phone), set()).add(id_number)
    landlines = set()
    for numbers in unit_rows.values_list("phones", flat=True):
        landlines.update(normalise_phone(p) for p in numbers.split(";") if p.strip())
    return PhoneBook({k: frozenset(v) for k, v in agents.items()}, frozenset(landlines))
