import { type TarEntry, tarGz, zip } from './archives';

/**
 * A realistic small take-home: a Django + asyncio "orders ingestion" service with tests, typing, logging, a migration,
 * packaging, and the clutter candidates zip by accident (a virtualenv, node_modules, caches, a .git folder, a logo,
 * generated protobuf code, a vendored module, a lock file). Used by the take-home tests and the end-to-end suite.
 */

export const PROJECT_FILES: Record<string, string> = {
  'orders-service/README.md': `# Orders ingestion service

Take-home for the senior Python backend role. Pulls orders from partner APIs concurrently,
stores them with Django, and serves a paginated API.

## Design notes
- Partner fetches run with asyncio and a bounded semaphore so one slow partner cannot starve the others.
- The list endpoint uses select_related and prefetch_related to avoid N+1 queries; a test pins the query count.
- Failed fetches are retried with exponential backoff and logged with the partner id.
`,
  'orders-service/pyproject.toml': `[project]
name = "orders-service"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["django==5.0.6", "httpx==0.27.0", "djangorestframework==3.15.1"]

[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[tool.mypy]
strict = true

[tool.pytest.ini_options]
DJANGO_SETTINGS_MODULE = "orders.settings"
`,
  'orders-service/requirements.txt':
    'django==5.0.6\nhttpx==0.27.0\ndjangorestframework==3.15.1\npytest-django==4.8.0\n',
  'orders-service/orders/__init__.py': '',
  'orders-service/orders/models.py': `from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    partner_id = models.CharField(max_length=64, db_index=True)
    external_id = models.CharField(max_length=64)
    total_cents = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["partner_id", "created_at"], name="order_partner_created")]
        constraints = [
            models.UniqueConstraint(fields=["partner_id", "external_id"], name="uniq_partner_order"),
        ]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
`,
  'orders-service/orders/views.py': `import logging

from django.db.models import QuerySet
from rest_framework import generics

from .models import Order
from .serializers import OrderSerializer

logger = logging.getLogger(__name__)


class OrderList(generics.ListAPIView):
    serializer_class = OrderSerializer

    def get_queryset(self) -> QuerySet[Order]:
        # One query for orders and customers, one for all lines: no N+1 however many orders a page holds.
        return Order.objects.select_related("customer").prefetch_related("lines").order_by("-created_at")
`,
  'orders-service/orders/serializers.py': `from rest_framework import serializers

from .models import Order, OrderLine


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["sku", "quantity"]


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "partner_id", "external_id", "total_cents", "lines"]
`,
  'orders-service/orders/ingest.py': `"""Fetches orders from partner APIs concurrently and stores them idempotently."""

import asyncio
import logging
from dataclasses import dataclass

import httpx
from django.db import transaction

from .models import Customer, Order

logger = logging.getLogger(__name__)

MAX_CONCURRENT_PARTNERS = 8
MAX_ATTEMPTS = 4


class PartnerUnavailable(Exception):
    """A partner kept failing after every retry."""


@dataclass(frozen=True)
class PartnerOrder:
    partner_id: str
    external_id: str
    customer_email: str
    total_cents: int


async def fetch_partner(client: httpx.AsyncClient, partner_id: str, url: str) -> list[PartnerOrder]:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = await client.get(url, timeout=10.0)
            response.raise_for_status()
            return [PartnerOrder(partner_id=partner_id, **item) for item in response.json()["orders"]]
        except httpx.HTTPError as error:
            logger.warning("partner fetch failed", extra={"partner": partner_id, "attempt": attempt})
            if attempt == MAX_ATTEMPTS:
                raise PartnerUnavailable(partner_id) from error
            await asyncio.sleep(2**attempt * 0.1)
    raise AssertionError("unreachable")


async def fetch_all(partners: dict[str, str]) -> list[PartnerOrder]:
    semaphore = asyncio.Semaphore(MAX_CONCURRENT_PARTNERS)

    async def bounded(partner_id: str, url: str) -> list[PartnerOrder]:
        async with semaphore:
            return await fetch_partner(client, partner_id, url)

    async with httpx.AsyncClient() as client:
        results = await asyncio.gather(*(bounded(p, u) for p, u in partners.items()), return_exceptions=True)
    orders: list[PartnerOrder] = []
    for result in results:
        if isinstance(result, BaseException):
            logger.error("partner skipped", exc_info=result)
            continue
        orders.extend(result)
    return orders


def store(orders: list[PartnerOrder]) -> int:
    created = 0
    with transaction.atomic():
        for item in orders:
            customer, _ = Customer.objects.get_or_create(email=item.customer_email, defaults={"name": ""})
            _, was_created = Order.objects.update_or_create(
                partner_id=item.partner_id,
                external_id=item.external_id,
                defaults={"customer": customer, "total_cents": item.total_cents},
            )
            created += int(was_created)
    logger.info("orders stored", extra={"created": created, "received": len(orders)})
    return created
`,
  'orders-service/orders/migrations/__init__.py': '',
  'orders-service/orders/migrations/0001_initial.py': `# Generated by Django 5.0.6 on 2024-05-02 10:00

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Customer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True)),
                ("name", models.CharField(max_length=200)),
                ("email", models.EmailField(max_length=254, unique=True)),
            ],
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["partner_id", "created_at"], name="order_partner_created"),
        ),
    ]
`,
  'orders-service/tests/__init__.py': '',
  'orders-service/tests/test_views.py': `import pytest
from django.urls import reverse

from orders.models import Customer, Order, OrderLine


@pytest.mark.django_db
def test_order_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries) -> None:
    customer = Customer.objects.create(name="Ada", email="ada@example.test")
    for n in range(5):
        order = Order.objects.create(customer=customer, partner_id="p1", external_id=str(n), total_cents=100)
        OrderLine.objects.create(order=order, sku="A", quantity=1)
    with django_assert_num_queries(3):
        response = client.get(reverse("order-list"))
    assert response.status_code == 200
`,
  'orders-service/tests/test_ingest.py': `import httpx
import pytest

from orders.ingest import PartnerUnavailable, fetch_partner


@pytest.mark.asyncio
async def test_fetch_partner_retries_then_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(PartnerUnavailable):
            await fetch_partner(client, "p1", "https://partner.example/orders")
    assert calls == 4


@pytest.mark.parametrize("status", [500, 502])
def test_statuses_are_errors(status: int) -> None:
    assert httpx.Response(status).is_error
`,
};

/** What a candidate zips by mistake: every one of these must be skipped and listed. */
export const CLUTTER: Record<string, string | Uint8Array> = {
  'orders-service/.venv/pyvenv.cfg': 'home = /usr/bin\n',
  'orders-service/.venv/lib/python3.12/site-packages/httpx/__init__.py':
    'import asyncio\nasync def get(): ...\n',
  'orders-service/.venv/lib/python3.12/site-packages/django/__init__.py': 'VERSION = (5, 0, 6)\n',
  'orders-service/node_modules/left-pad/index.js': 'module.exports = () => {};\n',
  'orders-service/orders/__pycache__/models.cpython-312.pyc': new Uint8Array([
    0x55, 0x0d, 0x0d, 0x0a, 0, 0, 1,
  ]),
  'orders-service/.git/HEAD': 'ref: refs/heads/main\n',
  'orders-service/static/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'orders-service/orders/proto/orders_pb2.py':
    '# Generated by the protocol buffer compiler.  DO NOT EDIT!\nimport asyncio\n',
  'orders-service/vendor/six.py': 'import asyncio\nasync def vendored(): ...\n',
  'orders-service/poetry.lock': '[[package]]\nname = "django"\n',
  'orders-service/.DS_Store': new Uint8Array([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]),
};

export const projectZip = (): Uint8Array => zip({ ...PROJECT_FILES, ...CLUTTER });

export const projectTarGz = (): Uint8Array =>
  tarGz(
    Object.entries({ ...PROJECT_FILES, ...CLUTTER }).map(([name, content]): TarEntry => ({ name, content })),
  );
