import type { RunnerTable } from '#kernel/runner.ts';
import type { ChatPorts } from '../load.ts';
import { type AnswerPauseAction, answerPauseRunner } from './answer-pause.ts';
import {
  type EnqueueClickAction,
  enqueueClickRunner,
  type RespondAction,
  respondRunner,
  type TellClickerAction,
  tellClickerRunner,
} from './answers.ts';
import { type ReportRollbackAction, reportRollbackRunner } from './report-rollback.ts';
import {
  type AcknowledgeAction,
  acknowledgeRunner,
  type FlushThreadAction,
  flushThreadRunner,
  type NoteThreadAction,
  noteThreadRunner,
  type SnoozeAction,
  snoozeRunner,
} from './thread-notes.ts';

/** The chat wing's own actions (Roll back now also uses the guard's rollback). */
type ChatOwnAction =
  | RespondAction
  | TellClickerAction
  | EnqueueClickAction
  | NoteThreadAction
  | AcknowledgeAction
  | SnoozeAction
  | ReportRollbackAction
  | AnswerPauseAction
  | FlushThreadAction;

/** The chat wing's runners. */
const chatRunners: RunnerTable<ChatOwnAction, ChatPorts> = {
  respond: respondRunner,
  'tell-clicker': tellClickerRunner,
  'enqueue-click': enqueueClickRunner,
  'note-thread': noteThreadRunner,
  acknowledge: acknowledgeRunner,
  snooze: snoozeRunner,
  'report-rollback': reportRollbackRunner,
  'answer-pause': answerPauseRunner,
  'flush-thread': flushThreadRunner,
};

export { type ChatOwnAction, chatRunners };
