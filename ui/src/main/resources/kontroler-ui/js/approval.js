// An approval task in the task panel: who may decide and until when, the decision once made (who,
// when, the comment), and while it waits, Approve and Reject with an optional comment. The api
// refuses a user who is not an approver; the page shows its answer.

import * as api from './api.js';
import { actionButton, h, mount, showInfo, timeEl } from './dom.js';

/** Whether `t` is an approval task that waits for a decision. */
export function awaitsDecision(t) {
  return Boolean(t.approval) && t.phase === 'Running' && !t.approval.decision;
}

/** The "awaiting approval" mark of a task row, or null. */
export function approvalMark(t) {
  return awaitsDecision(t) ? h('span', { class: 'badge awaiting-approval' }, 'awaiting approval') : null;
}

/** Draws the approval part of `getTask()` into `el`; returns {changed} to draw it again. */
export function drawApproval(el, runId, getTask) {
  const draw = () => {
    const t = getTask();
    const a = t.approval;
    if (!a) {
      mount(el);
      return;
    }
    const d = a.decision;
    const comment = h('textarea', { id: 'approval-comment', rows: '2', placeholder: 'Comment (optional)', 'aria-label': 'Comment' });
    const decide = (approve) => async () => {
      const text = comment.value.trim() || undefined;
      await (approve ? api.approveTask(runId, t.name, text) : api.rejectTask(runId, t.name, text));
      showInfo(approve ? `Approved ${t.name}` : `Rejected ${t.name}`);
    };
    mount(el, h('section', { class: 'approval', id: 'task-approval' },
      h('h3', null, 'Approval'),
      h('p', null, 'Approvers: ', a.approvers.map((x) => h('code', null, `${x} `)),
        h('small', { class: 'muted' }, ` (times out after ${a.timeoutSeconds}s)`)),
      d ? h('p', { id: 'approval-decision', dataset: { approved: String(d.approved) } },
        d.user ? `${d.approved ? 'Approved' : 'Rejected'} by ${d.user} ` : 'Timed out without a decision ',
        timeEl(d.at), d.comment && d.user ? h('q', null, ` ${d.comment}`) : null) : null,
      awaitsDecision(t) ? [
        comment,
        h('div', { class: 'actions' },
          actionButton('Approve', decide(true), { id: 'approve-task' }),
          actionButton('Reject', decide(false), { id: 'reject-task', class: 'danger' })),
      ] : null));
  };
  draw();
  return { changed: draw };
}
