import type { IssueStatus } from '../../../src/console/api-types';

const TONE: Record<IssueStatus, string> = { new: 'pill-warn', regressed: 'pill-bad', ongoing: '', resolved: 'pill-ok' };

export function StatusPill(props: { status: IssueStatus }) {
  return <span className={`pill ${TONE[props.status]}`} data-status={props.status}>{props.status}</span>;
}
