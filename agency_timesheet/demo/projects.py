"""The demo agency's clients and projects.

Builds six clients (Acme Outdoor, Bright Bank, Citrus Cola, Dune Museum,
Evergreen Health, Foxglove Fashion) and ten projects of three kinds (time &
materials, fixed fee, retainer; a project tag each), each with its producer
(Paula, Pedro or Priya), its team and the same six tasks. No dates: the
projects are there from the first day of the time (plan.py, ``plan.history``).
"""

from .common import register, slug

CLIENTS = [
    ("acme", "Acme Outdoor", "Lyon"),
    ("bright", "Bright Bank", "Amsterdam"),
    ("citrus", "Citrus Cola", "Barcelona"),
    ("dune", "Dune Museum", "Copenhagen"),
    ("evergreen", "Evergreen Health", "Dublin"),
    ("foxglove", "Foxglove Fashion", "Milan"),
]

# key, name, client key, kind, producer key, team (person keys)
PROJECTS = [
    ("acme_spring", "Acme Spring Campaign", "acme", "tm", "paula",
     ["anna", "dani", "clara", "lea", "tariq"]),
    ("acme_web", "Acme Website Refresh", "acme", "fixed", "pedro",
     ["marc", "kai", "zoe", "omar", "ravi"]),
    ("bright_brand", "Bright Bank Brand Retainer", "bright", "retainer", "paula",
     ["anna", "jonas", "noah", "bruno"]),
    ("citrus_launch", "Citrus Summer Launch", "citrus", "tm", "priya",
     ["yuki", "dani", "ella", "mia", "sofia"]),
    ("citrus_social", "Citrus Social Always-on", "citrus", "retainer", "priya",
     ["theo", "ella", "noah", "mia"]),
    ("dune_identity", "Dune Exhibition Identity", "dune", "fixed", "pedro",
     ["marc", "ines", "clara", "bruno"]),
    ("evergreen_app", "Evergreen Patient App", "evergreen", "tm", "pedro",
     ["kai", "lars", "amara", "felix", "omar", "tariq"]),
    ("evergreen_report", "Evergreen Annual Report", "evergreen", "fixed", "paula",
     ["lea", "ravi", "jonas", "sofia"]),
    ("foxglove_lookbook", "Foxglove Lookbook", "foxglove", "tm", "priya",
     ["yuki", "theo", "clara", "zoe"]),
    ("foxglove_content", "Foxglove Content Retainer", "foxglove", "retainer", "paula",
     ["ines", "noah", "felix", "amara", "jonas"]),
]  # fmt: skip

KINDS = {
    "tm": "Time & materials",
    "fixed": "Fixed fee",
    "retainer": "Retainer",
}

# Every project's tasks, with the share of its time each gets.
TASKS = [
    ("Discovery & brief", 0.10),
    ("Concepts", 0.25),
    ("Production", 0.35),
    ("Revisions round 1", 0.15),
    ("Revisions round 2", 0.08),
    ("Client meetings", 0.07),
]


def build_projects(env, company, employees):
    """The kind tags, the clients and the projects with their tasks:
    {key: project}."""
    tags = {
        kind: register(env, f"tag_{kind}", env["project.tags"].create({"name": label}))
        for kind, label in KINDS.items()
    }
    clients = {}
    for key, name, city in CLIENTS:
        clients[key] = register(
            env,
            f"client_{key}",
            env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "email": f"studio@{key}.example.com",
                }
            ),
        )
    projects = {}
    for key, name, client, kind, producer, _team in PROJECTS:
        projects[key] = register(
            env,
            f"project_{key}",
            env["project.project"].create(
                {
                    "name": name,
                    "partner_id": clients[client].id,
                    "user_id": employees[producer].user_id.id,
                    "company_id": company.id,
                    "allow_timesheets": True,
                    "privacy_visibility": "employees",
                    "tag_ids": [(6, 0, tags[kind].ids)],
                    "task_ids": [
                        (0, 0, {"name": task, "sequence": sequence})
                        for sequence, (task, _weight) in enumerate(TASKS)
                    ],
                }
            ),
        )
        for task in projects[key].task_ids:
            register(env, f"task_{key}_{slug(task.name)}", task)
    return projects
