"""The add-ons' layout: domain models under models/, demo generators under demo/.

Read from the source files (ast), no database:

- no Python file under an add-on's ``models/`` imports a demo module (a
  ``demo`` package or module, the add-on's or another's), at the top of the file
  or inside a function: the domain never depends on the demo agency;
- no file under ``models/`` is a demo generator (a file named after the demo,
  or one that defines or extends a ``*.demo`` model);
- every Python file of a ``demo/`` package says in its docstring what it builds
  and stays readable in one sitting (at most MAX_DEMO_LINES lines);
- no Python file under ``models/`` is over MAX_MODEL_LINES lines: what is not
  fields, computes, constraints, CRUD or actions lives in modules beside them;
- every Python file ARCHITECTURE.md names is there, and each pure module
  (PURE_MODULES, named there too) imports neither Odoo nor anything but another
  pure module: plain values in, plain values out.
"""

import ast
import os
import re
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")
MAX_DEMO_LINES = 400
MAX_MODEL_LINES = 600
ARCHITECTURE = os.path.join(ROOT, "ARCHITECTURE.md")
# The pure modules, as ARCHITECTURE.md lists them.
PURE_MODULES = (
    "agency_timesheet/tools.py",
    "agency_timesheet/ics.py",
    "agency_timesheet/suggestion_rules.py",
    "agency_timesheet/demo/plan.py",
    "agency_billing/models/billing_rules.py",
    "agency_billing/models/rate_precedence.py",
    "agency_billing/models/check_rules.py",
    "agency_billing/models/engagement_rules.py",
    "agency_forecast/profitability.py",
    "agency_forecast/warning_rules.py",
    "agency_forecast/capacity.py",
    "agency_timesheet/importing/parsing.py",
    "agency_timesheet/importing/sources.py",
    "agency_timesheet/importing/reader.py",
    "agency_timesheet/importing/fingerprint.py",
    "agency_timesheet/importing/matching.py",
    "agency_timesheet/importing/report.py",
    "agency_timesheet/importing/report_xlsx.py",
    "agency_timesheet/importing/rate_cards.py",
)


def python_files(folder):
    """The paths of the .py files directly in `folder` (none if it is not
    there), sorted."""
    if not os.path.isdir(folder):
        return []
    return sorted(
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name.endswith(".py")
    )


def model_files():
    return [
        path
        for addon in ADDONS
        for path in python_files(os.path.join(ROOT, addon, "models"))
    ]


def line_count(path):
    with open(path, encoding="utf-8") as source:
        return len(source.readlines())


def named_python_files(text):
    """The Python file paths a Markdown text names in backquotes, as written
    (``models/pricing.py``, ``agency_timesheet/tools.py``, ``plan.py``)."""
    return sorted(set(re.findall(r"`([\w./]+\.py)`", text)))


def find_named(name):
    """Whether the file `name` names is there: a path from the repository's
    root or from an add-on's folder, or a file name under an add-on."""
    if os.path.isfile(os.path.join(ROOT, name)):
        return True
    for addon in ADDONS:
        if os.path.isfile(os.path.join(ROOT, addon, name)):
            return True
        if "/" not in name:
            for _folder, _dirs, files in os.walk(os.path.join(ROOT, addon)):
                if name in files:
                    return True
    return False


def impure_imports(path, tree):
    """What the module at `path` imports that a pure module may not: Odoo
    (any ``odoo`` module), or a module of the add-ons that is not pure."""
    found = []
    folder = os.path.dirname(os.path.relpath(path, ROOT))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "odoo"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if not node.level:
                # another add-on's pure module, by its full name, is pure too
                parts = module.split(".")
                if parts[0] == "odoo" and (
                    parts[:2] != ["odoo", "addons"]
                    or "/".join(parts[2:]) + ".py" not in PURE_MODULES
                ):
                    found.append(module)
                continue
            base = folder
            for _up in range(node.level - 1):
                base = os.path.dirname(base)
            targets = (
                [os.path.join(base, *module.split(".")) + ".py"]
                if module
                else [os.path.join(base, a.name) + ".py" for a in node.names]
            )
            found += [t for t in targets if t not in PURE_MODULES]
    return found


def parse(path):
    with open(path, encoding="utf-8") as source:
        return ast.parse(source.read(), filename=path)


def is_demo_name(name):
    """Whether the dotted module name `name` names a demo module."""
    return any(part == "demo" or part.endswith("_demo") for part in name.split("."))


def demo_imports(tree):
    """The demo modules `tree` imports, anywhere in the file, as written."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_demo_name(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            prefix = "." * node.level + module
            if module and is_demo_name(module):
                found.append(prefix)
            else:
                found += [
                    f"{prefix}.{alias.name}" if module else prefix + alias.name
                    for alias in node.names
                    if is_demo_name(alias.name)
                ]
    return found


def demo_models(tree):
    """The `*.demo` models a class of `tree` defines or extends (_name or
    _inherit)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if not targets & {"_name", "_inherit"}:
            continue
        values = (
            node.value.elts
            if isinstance(node.value, ast.List | ast.Tuple)
            else [node.value]
        )
        found += [
            value.value
            for value in values
            if isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and value.value.split(".")[-1] == "demo"
        ]
    return found


class TestLayout(unittest.TestCase):
    def test_the_helpers_see_the_model_files(self):
        files = model_files()
        self.assertTrue(files)
        self.assertFalse(is_demo_name("odoo.addons.agency_timesheet.tools"))
        self.assertEqual(
            demo_imports(ast.parse("from ..demo.plan import x\nfrom .. import demo")),
            ["..demo.plan", "..demo"],
        )
        self.assertEqual(
            demo_imports(
                ast.parse(
                    "def f():\n"
                    "    from odoo.addons.agency_timesheet.demo import common\n"
                    "    import odoo.addons.agency_billing.demo.rates"
                )
            ),
            [
                "odoo.addons.agency_timesheet.demo",
                "odoo.addons.agency_billing.demo.rates",
            ],
        )
        self.assertEqual(
            demo_models(ast.parse("class D:\n    _inherit = ['agency.demo']")),
            ["agency.demo"],
        )

    def test_no_model_file_imports_a_demo_module(self):
        for path in model_files():
            with self.subTest(path=os.path.relpath(path, ROOT)):
                self.assertEqual(
                    demo_imports(parse(path)),
                    [],
                    "a domain model imports demo code: the demo builds on the "
                    "models, never the other way round",
                )

    def test_no_model_file_is_a_demo_generator(self):
        for path in model_files():
            relative = os.path.relpath(path, ROOT)
            with self.subTest(path=relative):
                self.assertNotIn("demo", os.path.basename(path), relative)
                self.assertEqual(
                    demo_models(parse(path)),
                    [],
                    f"{relative} defines a demo model: it belongs in the add-on's "
                    "demo/ package",
                )

    def test_demo_modules_say_what_they_build_and_stay_short(self):
        files = [
            path
            for addon in ADDONS
            for path in python_files(os.path.join(ROOT, addon, "demo"))
        ]
        self.assertTrue(files)
        for path in files:
            relative = os.path.relpath(path, ROOT)
            with self.subTest(path=relative):
                self.assertTrue(ast.get_docstring(parse(path)), relative)
                with open(path, encoding="utf-8") as source:
                    lines = len(source.readlines())
                self.assertLessEqual(lines, MAX_DEMO_LINES, relative)

    def test_model_files_stay_readable_in_one_sitting(self):
        for path in model_files():
            relative = os.path.relpath(path, ROOT)
            with self.subTest(path=relative):
                self.assertLessEqual(
                    line_count(path),
                    MAX_MODEL_LINES,
                    f"{relative}: move what is not fields, computes, constraints, "
                    "CRUD or actions into a module beside it",
                )


class TestArchitecture(unittest.TestCase):
    """ARCHITECTURE.md matches the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(ARCHITECTURE, encoding="utf-8") as page:
            cls.text = page.read()

    def test_the_helpers_read_names_and_imports(self):
        self.assertEqual(
            named_python_files("`models/pricing.py` (`Pricing`), `ics.py`, x.py"),
            ["ics.py", "models/pricing.py"],
        )
        self.assertTrue(find_named("agency_timesheet/tools.py"))
        self.assertTrue(find_named("models/pricing.py"))
        self.assertTrue(find_named("plan.py"))
        self.assertFalse(find_named("models/no_such_module.py"))
        path = os.path.join(ROOT, "agency_billing", "models", "engagement_rules.py")
        self.assertEqual(
            impure_imports(
                path,
                ast.parse(
                    "from .billing_rules import GROUPINGS\n"
                    "from .pricing import Pricing\n"
                    "from odoo import fields\n"
                    "import odoo.tools"
                ),
            ),
            ["agency_billing/models/pricing.py", "odoo", "odoo.tools"],
        )

    def test_every_python_file_it_names_is_there(self):
        names = named_python_files(self.text)
        self.assertGreater(len(names), 40)
        for name in names:
            with self.subTest(name=name):
                self.assertTrue(find_named(name), f"ARCHITECTURE.md names {name}")

    def test_pure_modules_are_named_there_and_pure(self):
        for relative in PURE_MODULES:
            with self.subTest(module=relative):
                self.assertIn(f"`{relative}`", self.text)
                path = os.path.join(ROOT, relative)
                self.assertTrue(os.path.isfile(path), relative)
                self.assertEqual(impure_imports(path, parse(path)), [], relative)
