#!/usr/bin/env python3
"""Regenerates the current-shape fixtures in testdata/current/.

Each fixture is one response body of an endpoint polar-mcp calls, built
from Polar's published OpenAPI document (the file given as argv[1]) and
validated against it, so it is exactly what today's API may send. Every
field the schema requires is present; nullable fields are null unless a
fixture sets them. The drift cases (paused subscriptions, metered-cycle
and draft/void orders, seat-based prices, feature_flag and
slack_shared_channel grants, trialing subscriptions) are set explicitly.

    python3 gen_current.py /path/to/openapi.json
"""
import copy
import itertools
import json
import os
import sys

import jsonschema

SPEC = json.load(open(sys.argv[1]))
SCHEMAS = SPEC["components"]["schemas"]
ORG = "1dbfc517-0bbf-4301-9ba8-555ca42b9737"
_ids = itertools.count(1)


def uid():
    return "00000000-0000-4000-8000-%012d" % next(_ids)


def gen(schema):
    """A minimal instance: required fields only, nullables null, arrays empty."""
    if "$ref" in schema:
        return gen(SCHEMAS[schema["$ref"].split("/")[-1]])
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            variants = schema[key]
            if any(v.get("type") == "null" for v in variants):
                return None
            return gen(variants[0])
    if "allOf" in schema:
        out = {}
        for part in schema["allOf"]:
            out.update(gen(part))
        return out
    t = schema.get("type")
    if t == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: gen(props[k]) for k in schema.get("required", [])}
    if t == "array":
        return []
    if t == "boolean":
        return False
    if t in ("integer", "number"):
        ex = schema.get("examples")
        return ex[0] if ex else schema.get("minimum", 0)
    if t == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2026-01-15T10:00:00Z"
        if fmt in ("uuid", "uuid4"):
            return uid()
        ex = schema.get("examples")
        return ex[0] if ex else "x"
    return None


def obj(_schema, **patch):
    out = gen(SCHEMAS[_schema])
    out.update(patch)
    return out


def page(items, max_page=1):
    return {"items": items, "pagination": {"total_count": len(items), "max_page": max_page}}


def validate(name, body):
    schema = {"$ref": "#/components/schemas/" + name, "components": SPEC["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def price(kind, product_id, **patch):
    names = {
        "fixed": "ProductPriceFixed",
        "custom": "ProductPriceCustom",
        "seat_based": "ProductPriceSeatBased",
        "metered_unit": "ProductPriceMeteredUnit",
    }
    return obj(names[kind], product_id=product_id, price_currency="usd", **patch)


def product(name, interval, prices, **patch):
    pid = uid()
    return obj(
        "Product", id=pid, name=name, description=name + " plan", visibility="public",
        recurring_interval=interval, recurring_interval_count=1 if interval else None,
        is_recurring=interval is not None, organization_id=ORG,
        prices=[price(k, pid, **p) for k, p in prices], **patch)


def customer_fields(email):
    return dict(id=uid(), email=email, email_verified=True, name="Ada Lovelace",
                organization_id=ORG, metadata={})


def main():
    pro = product("Pro", "month", [("fixed", {"price_amount": 1900})])
    team = product("Team", "month", [("seat_based", {"seat_tiers": {
        "tiers": [{"min_seats": 1, "max_seats": 10, "price_per_seat": 900},
                  {"min_seats": 11, "max_seats": None, "price_per_seat": 700}],
        "minimum_seats": 1, "maximum_seats": None}})])
    usage = product("Usage", "month", [("metered_unit", {
        "unit_amount": "0.5", "cap_amount": None,
        "meter": obj("ProductPriceMeter", name="API calls")})])
    tip = product("Tip jar", None, [("custom", {
        "minimum_amount": 100, "maximum_amount": None, "preset_amount": 500})])
    cust = customer_fields("ada@example.com")
    cid = cust["id"]

    def sub(status, prod, **patch):
        base = dict(id=uid(), status=status, amount=1900, currency="usd",
                    recurring_interval="month", recurring_interval_count=1,
                    started_at="2025-06-01T00:00:00Z",
                    current_period_end="2026-02-15T10:00:00Z",
                    customer_id=cid, product_id=prod["id"], product=prod,
                    customer=obj("SubscriptionCustomer", **cust), metadata={})
        base.update(patch)
        return obj("Subscription", **base)

    def order(status, reason, **patch):
        base = dict(id=uid(), status=status, billing_reason=reason, paid=status == "paid",
                    total_amount=1900, currency="usd", customer_id=cid,
                    customer=obj("OrderCustomer", **cust), description="Pro", metadata={},
                    items=[obj("OrderItemSchema", label="Pro", amount=1900)])
        base.update(patch)
        return obj("Order", **base)

    def grant(btype, props):
        return obj("CustomerStateBenefitGrant", benefit_type=btype, properties=props,
                   granted_at="2025-06-01T00:00:00Z", benefit_metadata={})

    def benefit(schema, description, **patch):
        return obj(schema, description=description, organization_id=ORG, metadata={},
                   visibility="public", **patch)

    fixtures = {
        "customers_list.json": ("ListResource_Customer_", page([
            obj("CustomerIndividual", **cust),
            obj("CustomerTeam", **dict(customer_fields(None), name="Acme team")),
        ])),
        "subscriptions_list.json": ("ListResource_Subscription_", page([
            sub("active", pro),
            sub("paused", team, seats=3, paused_at="2026-01-01T00:00:00Z",
                resumes_at="2026-03-01T00:00:00Z"),
            sub("trialing", usage, trial_start="2026-01-10T00:00:00Z",
                trial_end="2026-01-24T00:00:00Z"),
        ])),
        "orders_list.json": ("ListResource_Order_", page([
            order("paid", "subscription_meter_cycle", invoice_number="INV-0003"),
            order("draft", "subscription_cycle"),
            order("void", "purchase"),
            order("paid", "subscription_create", invoice_number="INV-0001"),
        ])),
        "customer_state.json": ("CustomerState", obj(
            "CustomerStateIndividual", **cust,
            active_subscriptions=[obj(
                "CustomerStateSubscription", id=uid(), status="trialing", amount=1900,
                currency="usd", recurring_interval="month", product_id=pro["id"],
                trial_start="2026-01-10T00:00:00Z", trial_end="2026-01-24T00:00:00Z",
                metadata={})],
            granted_benefits=[
                grant("license_keys", {"license_key_id": uid(), "display_key": "****-A1B2"}),
                grant("feature_flag", {}),
                grant("slack_shared_channel", {"channel_name": "acme-support"}),
            ])),
        "products_list.json": ("ListResource_Product_", page([pro, team, usage, tip])),
        "benefits_list.json": ("ListResource_Benefit_", page([
            benefit("BenefitLicenseKeys", "Pro license key"),
            benefit("BenefitFeatureFlag", "Beta features", properties={}),
            benefit("BenefitSlackSharedChannel", "Shared Slack channel", properties={
                "slack_integration_id": uid(), "channel_name_template": "{customer}-support"}),
        ])),
        "customer_session.json": ("CustomerSession", obj(
            "CustomerSession", customer_id=cid, token="polar_cst_fixture",
            expires_at="2026-01-15T11:00:00Z",
            customer_portal_url="https://polar.sh/acme/portal?customer_session_token=polar_cst_fixture",
            customer=obj("CustomerIndividual", **cust))),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "current")
    os.makedirs(out, exist_ok=True)
    for fname, (schema, body) in fixtures.items():
        validate(schema, body)
        with open(os.path.join(out, fname), "w") as f:
            json.dump(body, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", fname)


if __name__ == "__main__":
    main()
