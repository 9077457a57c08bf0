from odoo import api, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    def action_agency_timer_start(self):
        """Start my timer on this task (task form, my tasks)."""
        self.ensure_one()
        self.env["agency.timer"].action_start(task_id=self.id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Timer started on %(task)s", task=self.name),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def agency_search_targets(self, query="", limit=8):
        """What the current user can log time on, for the web client's quick searches.

        Open tasks of active projects that record timesheets whose name or project
        name holds every word of the query: the user's own tasks first, then the
        others they may read. Without a query: the tasks they logged time on most
        recently, then their own open tasks. With a query, projects that match come
        after the tasks (to log time on a project without a task).

        :return: a list of {task_id, task_name, project_id, project_name}
        """
        limit = max(1, min(int(limit or 8), 50))
        words = (query or "").split()
        domain = [
            ("project_id.allow_timesheets", "=", True),
            ("project_id.active", "=", True),
            ("is_closed", "=", False),
        ]
        for word in words:
            domain += ["|", ("name", "ilike", word), ("project_id.name", "ilike", word)]
        if words:
            tasks = self.search(
                domain + [("user_ids", "in", self.env.uid)], limit=limit
            )
        else:
            tasks = self._agency_recent_tasks(domain, limit)
            domain += [("user_ids", "in", self.env.uid)]
        if len(tasks) < limit:
            tasks |= self.search(
                domain + [("id", "not in", tasks.ids)], limit=limit - len(tasks)
            )
        targets = [
            {
                "task_id": task.id,
                "task_name": task.name,
                "project_id": task.project_id.id,
                "project_name": task.project_id.sudo().display_name,
            }
            for task in tasks
        ]
        if words:
            project_domain = [("allow_timesheets", "=", True)]
            for word in words:
                project_domain.append(("name", "ilike", word))
            projects = self.env["project.project"].search(project_domain, limit=3)
            targets += [
                {
                    "task_id": False,
                    "task_name": "",
                    "project_id": project.id,
                    "project_name": project.display_name,
                }
                for project in projects
            ]
        return targets

    def _agency_recent_tasks(self, domain, limit):
        """The open tasks the current user logged time on most recently."""
        groups = self.env["account.analytic.line"]._read_group(
            [("user_id", "=", self.env.uid), ("task_id", "!=", False)],
            ["task_id"],
            ["date:max"],
            order="date:max desc",
            limit=limit * 2,
        )
        recent = [task.id for task, _day in groups]
        open_ids = set(self.search(domain + [("id", "in", recent)]).ids)
        return self.browse(
            [task_id for task_id in recent if task_id in open_ids][:limit]
        )
