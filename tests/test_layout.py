"""The add-ons' layout: domain models under models/, demo generators under demo/.

Read from the source files (ast), no database:

- no Python file under an add-on's ``models/`` imports a demo module (a
  ``demo`` package or module, the add-on's or another's), at the top of the file
  or inside a function: the domain never depends on the demo agency;
- no file under ``models/`` is a demo generator (a file named after the demo,
  or one that defines or extends a ``*.demo`` model);
- every Python file of a ``demo/`` package says in its docstring what it builds
  and stays readable in one sitting (at most MAX_DEMO_LINES lines).
"""

import ast
import os
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")
MAX_DEMO_LINES = 400


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
