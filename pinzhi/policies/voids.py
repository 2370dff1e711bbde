"""Products and policies that can be voided. A policy's derived states (callbacks, cases,
settlement lines of open months) add themselves as followers in their own areas."""

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Policy, Product


def _product_in_use(product: Product) -> str | None:
    if (n := product.policies.live().count()) > 0:
        return f"{n} policies are of this product"
    return None


register_void_kind(VoidKind("product", Product, "code", "products", guard=_product_in_use))
register_void_kind(VoidKind("policy", Policy, "policy_no", "policies"))
