import { isObject } from '../core/input.ts';

/**
 * Block Kit limits as the Block Kit reference (docs.slack.dev/reference/block-kit/blocks,
 * …/block-elements/button-element, …/composition-objects/text-object) states them. Slack refuses
 * a message breaking one with `invalid_blocks` and lists each problem with a JSON pointer, e.g.
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 */

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

const MAX_BLOCKS = 50;

type Problems = string[];

const at = (pointer: string, message: string): string => `${message} [json-pointer:${pointer}]`;

const checkLength = (problems: Problems, pointer: string, text: unknown, max: number): void => {
  if (typeof text !== 'string') return;
  if (text.length > max) problems.push(at(pointer, `must be less than ${max + 1} characters`));
};

// A text object: {type: plain_text|mrkdwn, text}.
const checkText = (
  problems: Problems,
  pointer: string,
  text: unknown,
  max: number,
  plainOnly = false,
): void => {
  if (!isObject(text) || typeof text.text !== 'string') {
    problems.push(at(pointer, 'must provide an object with a string text'));
    return;
  }
  const types = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!types.includes(String(text.type)))
    problems.push(at(`${pointer}/type`, `must be one of ${types.join(', ')}`));
  checkLength(problems, `${pointer}/text`, text.text, max);
  if (text.text === '') problems.push(at(`${pointer}/text`, 'must be more than 0 characters'));
};

const checkButton = (
  problems: Problems,
  pointer: string,
  element: Record<string, unknown>,
): void => {
  checkText(problems, `${pointer}/text`, element.text, 75, true);
  checkLength(problems, `${pointer}/action_id`, element.action_id, 255);
  checkLength(problems, `${pointer}/value`, element.value, 2000);
  checkLength(problems, `${pointer}/url`, element.url, 3000);
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger')
    problems.push(at(`${pointer}/style`, 'must be one of primary, danger'));
  if (isObject(element.confirm)) {
    const confirm = element.confirm;
    checkText(problems, `${pointer}/confirm/title`, confirm.title, 100, true);
    checkText(problems, `${pointer}/confirm/text`, confirm.text, 300);
    checkText(problems, `${pointer}/confirm/confirm`, confirm.confirm, 30, true);
    checkText(problems, `${pointer}/confirm/deny`, confirm.deny, 30, true);
  }
};

const checkElements = (
  problems: Problems,
  pointer: string,
  elements: unknown,
  max: number,
  buttons: boolean,
): void => {
  if (!Array.isArray(elements) || elements.length === 0) {
    problems.push(at(pointer, 'must provide at least 1 item'));
    return;
  }
  if (elements.length > max) problems.push(at(pointer, `no more than ${max} items allowed`));
  const actionIds = new Set<string>();
  for (const [i, element] of elements.entries()) {
    if (!isObject(element)) {
      problems.push(at(`${pointer}/${i}`, 'must provide an object'));
      continue;
    }
    if (buttons && element.type === 'button') checkButton(problems, `${pointer}/${i}`, element);
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id))
        problems.push(at(`${pointer}/${i}/action_id`, 'action_id must be unique within the block'));
      actionIds.add(element.action_id);
    }
  }
};

const checkBlock = (problems: Problems, pointer: string, block: unknown): void => {
  if (!isObject(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) {
    problems.push(at(`${pointer}/type`, 'must be a known block type'));
    return;
  }
  checkLength(problems, `${pointer}/block_id`, block.block_id, 255);
  switch (block.type) {
    case 'section': {
      const fields = block.fields;
      if (block.text === undefined && fields === undefined)
        problems.push(at(pointer, 'must provide either text or fields'));
      if (block.text !== undefined) checkText(problems, `${pointer}/text`, block.text, 3000);
      if (fields !== undefined) {
        if (!Array.isArray(fields)) problems.push(at(`${pointer}/fields`, 'must provide an array'));
        else {
          if (fields.length > 10)
            problems.push(at(`${pointer}/fields`, 'no more than 10 items allowed'));
          for (const [i, f] of fields.entries())
            checkText(problems, `${pointer}/fields/${i}`, f, 2000);
        }
      }
      if (isObject(block.accessory) && block.accessory.type === 'button')
        checkButton(problems, `${pointer}/accessory`, block.accessory);
      return;
    }
    case 'header':
      checkText(problems, `${pointer}/text`, block.text, 150, true);
      return;
    case 'context':
      checkElements(problems, `${pointer}/elements`, block.elements, 10, false);
      return;
    case 'actions':
      checkElements(problems, `${pointer}/elements`, block.elements, 25, true);
      return;
    case 'markdown':
      checkLength(problems, `${pointer}/text`, block.text, 12_000);
      return;
    case 'image':
      checkLength(problems, `${pointer}/alt_text`, block.alt_text, 2000);
      checkLength(problems, `${pointer}/image_url`, block.image_url, 3000);
      return;
    default:
      return;
  }
};

/** The problems Slack reports for a message's blocks (none when they are valid). */
export const blockProblems = (blocks: unknown): string[] => {
  const problems: Problems = [];
  if (!Array.isArray(blocks)) return [at('/blocks', 'must provide an array')];
  if (blocks.length > MAX_BLOCKS)
    problems.push(at('/blocks', `no more than ${MAX_BLOCKS} items allowed`));
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    checkBlock(problems, `/blocks/${i}`, block);
    if (isObject(block) && typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id))
        problems.push(at(`/blocks/${i}/block_id`, 'block_id must be unique within the message'));
      blockIds.add(block.block_id);
    }
  });
  return problems;
};

/** All text a message's blocks hold (Slack refuses more than about 12,000: msg_blocks_too_long). */
export const blocksTextLength = (value: unknown): number => {
  if (Array.isArray(value))
    return value.reduce<number>((sum, item) => sum + blocksTextLength(item), 0);
  if (!isObject(value)) return 0;
  return Object.entries(value).reduce<number>(
    (sum, [key, v]) =>
      sum + (key === 'text' && typeof v === 'string' ? v.length : blocksTextLength(v)),
    0,
  );
};
