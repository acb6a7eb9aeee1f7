// The importable workflows in examples/, as the tests and the demo run them: the real Zettle node in
// n8n-core's engine, fed with the items the workflow's Code node returns. (n8n's Code node is not a
// dependency here; its jsCode in the examples is a static list, evaluated in an empty VM context.
// `npm run test:e2e` is the place where n8n's own Code node runs the same files.)

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowFile } from './engine';

export const EXAMPLES_DIR = join(__dirname, '..', 'examples');

export interface Example {
	file: string;
	workflow: WorkflowFile & { name: string };
	/** name of the Zettle Inventory node (action examples) */
	zettle: string;
	/** the items the Code node before it returns (action examples) */
	input: IDataObject[];
	/** the Zettle Trigger node (trigger examples: the workflow starts from a Zettle webhook) */
	trigger?: INode;
}

export function loadExamples(): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
			const trigger = workflow.nodes.find(
				(n: INode) => n.type === 'n8n-nodes-zettle.zettleTrigger',
			);
			if (trigger) return { file, workflow, zettle: trigger.name, input: [], trigger };
			const zettle = workflow.nodes.find(
				(n: INode) => n.type === 'n8n-nodes-zettle.zettleInventory',
			);
			const code = workflow.nodes.find((n: INode) => n.type === 'n8n-nodes-base.code');
			const items = runInNewContext(
				`(function () {\n${code.parameters.jsCode}\n})()`,
				{},
				{ timeout: 1000 },
			) as Array<{ json: IDataObject }>;
			return { file, workflow, zettle: zettle.name, input: items.map((i) => i.json) };
		});
}
