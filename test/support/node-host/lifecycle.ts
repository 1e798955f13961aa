/**
 * When n8n calls checkExists / create / delete, with which mode, URL and static data (n8n 2.x
 * ActiveWorkflowManager and TestWebhooks; see docs/protocol.md#registration-lifecycle).
 *
 * Static data: production is a JSON "DB copy": every production call builds a new Workflow from a copy
 * of it and writes it back only when n8n would (`__dataChanged`, i.e. a top-level key of the node's
 * static data was set or deleted; in-place changes to nested objects are lost exactly as in n8n). A
 * failed activation saves nothing; its cleanup `delete` sees the copy from before the activation. A test
 * listen starts with `{}` and `getWorkflow().active` false (n8n's TestWebhooks.toWorkflow); after
 * `create` it is kept as `staticData.test` for that listen only, shared by test deliveries and the final
 * `delete`. A test listen whose create fails is cleaned up by a delete that DOES see create's
 * half-written data (unlike production).
 */
import type { IDataObject, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

import { runHookMethod, type HookCall } from './hook-method';
import type { BuiltWorkflow, HostWorkflow } from './host-workflow';
import type { LogLine } from './n8n-runtime';
import { jsonCopy, type HostError, type LifecycleCall } from './types';

/** The NodeHost records the lifecycle writes to. */
export interface LifecycleRecords {
	calls: LifecycleCall[];
	errors: HostError[];
	logs: LogLine[];
	staticData: { production: IDataObject; test: IDataObject | undefined };
}

export interface LifecycleEnvironment {
	/** A fresh Workflow with the node's current parameters. */
	build(staticData: IDataObject, active: boolean): BuiltWorkflow;
	additionalData(): IWorkflowExecuteAdditionalData;
}

export class HostLifecycle {
	/** Production URLs answer only between a successful activation and deactivate(). */
	productionRegistered = false;
	/** Test URLs answer only during a test listen. */
	testListening = false;

	constructor(
		private readonly hw: HostWorkflow,
		private readonly records: LifecycleRecords,
		private readonly env: LifecycleEnvironment,
	) {}

	/** ActiveWorkflowManager.add → addWebhooks: checkExists → create if false; a failure runs clearWebhooks and rethrows. */
	async addProductionWebhooks(activation: 'activate' | 'init'): Promise<void> {
		const { workflow, node } = this.env.build(jsonCopy(this.records.staticData.production), this.hw.workflowActive);
		const additionalData = this.env.additionalData();
		// webhook_entity rows are stored before create runs, so the production URL is live during create.
		this.productionRegistered = true;
		for (const webhook of this.hw.webhooksOf(workflow, node)) {
			const hook = { workflow, node, webhook, additionalData, mode: 'trigger', activation, isTest: false } as const;
			try {
				const exists = await this.run({ ...hook, method: 'checkExists' });
				if (!exists) await this.run({ ...hook, method: 'create' });
			} catch (error) {
				try {
					await this.clearProductionWebhooks();
				} catch (cleanupError) {
					this.logCouldNotRemove(cleanupError as Error);
				}
				this.productionRegistered = false;
				const withDetail = error as Error & { detail?: string };
				if (withDetail.detail) withDetail.message = withDetail.detail;
				throw error;
			}
		}
		this.saveProductionStaticData(workflow);
	}

	/** ActiveWorkflowManager.remove → clearWebhooks; a throwing delete is logged, not rethrown. */
	async removeProductionWebhooks(): Promise<void> {
		try {
			await this.clearProductionWebhooks();
		} catch (error) {
			this.logCouldNotRemove(error as Error);
		}
		this.productionRegistered = false;
	}

	/** "Listen for test event": TestWebhooks.needsWebhook. */
	async startTestListen(): Promise<void> {
		if (this.testListening) throw new Error('node-host: a test listen is already active; end it first');
		// toWorkflow(): test listens never see the production static data, and `active` is false.
		const { workflow, node } = this.env.build({}, false);
		const additionalData = this.env.additionalData();
		// Registered before create, so the provider's confirmation request can already be served.
		// Until create finished, the registration has no static data: deliveries see a throwaway {}.
		this.testListening = true;
		this.records.staticData.test = undefined;
		try {
			for (const webhook of this.hw.webhooksOf(workflow, node)) {
				const hook = { workflow, node, webhook, additionalData, mode: 'manual', activation: 'manual', isTest: true } as const;
				const exists = await this.run({ ...hook, method: 'checkExists' });
				if (!exists) await this.run({ ...hook, method: 'create' });
			}
		} catch (error) {
			// deactivateWebhooks(workflow): the registration has no static data yet, so delete sees
			// this workflow's in-memory data including what create wrote before failing. If that
			// delete throws, its error replaces the original one, as in n8n.
			await this.deactivateTestWebhooks(workflow.staticData);
			throw error;
		}
		// The registration cache stores a serialised copy; deliveries and the final delete share it.
		this.records.staticData.test = jsonCopy(workflow.staticData);
	}

	/** Test listen ends (cancel / 2-minute timeout / first execution): TestWebhooks.deactivateWebhooks. */
	async endTestListen(): Promise<void> {
		if (!this.testListening) return;
		try {
			await this.deactivateTestWebhooks(this.records.staticData.test ?? {});
		} catch (error) {
			// n8n awaits nothing here (void promise), so the failure only surfaces as an unhandled rejection.
			this.records.errors.push({ where: 'testListenEnd', error: error as Error });
			this.records.logs.push({ level: 'error', message: `Could not remove test webhooks: "${(error as Error).message}"` });
		}
	}

	/** WorkflowStaticDataService.saveStaticData: only when n8n's ObservableObject saw a change. */
	saveProductionStaticData(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true) {
			this.records.staticData.production = jsonCopy(workflow.staticData);
		}
	}

	private async run(hook: HookCall): Promise<boolean | undefined> {
		return await runHookMethod(this.hw, this.records.calls, hook);
	}

	/** ActiveWorkflowManager.clearWebhooks: a fresh Workflow from the DB copy, delete, save. */
	private async clearProductionWebhooks(): Promise<void> {
		const { workflow, node } = this.env.build(jsonCopy(this.records.staticData.production), this.hw.workflowActive);
		const additionalData = this.env.additionalData();
		for (const webhook of this.hw.webhooksOf(workflow, node)) {
			await this.run({ method: 'delete', workflow, node, webhook, additionalData, mode: 'internal', activation: 'update', isTest: false });
		}
		this.saveProductionStaticData(workflow);
		this.productionRegistered = false;
	}

	private async deactivateTestWebhooks(testStaticData: IDataObject): Promise<void> {
		const { workflow, node } = this.env.build({}, false);
		workflow.staticData = testStaticData;
		this.testListening = false;
		const additionalData = this.env.additionalData();
		for (const webhook of this.hw.webhooksOf(workflow, node)) {
			await this.run({ method: 'delete', workflow, node, webhook, additionalData, mode: 'internal', activation: 'update', isTest: true });
		}
	}

	private logCouldNotRemove(error: Error): void {
		this.records.logs.push({
			level: 'error',
			message: `Could not remove webhooks of workflow "${this.hw.workflowId}" because of error: "${error.message}"`,
		});
	}
}
