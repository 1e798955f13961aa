/**
 * Stand-in for n8n's CLI `CredentialsHelper`: hands out the test's decrypted credential data and
 * applies the credential class's `authenticate` the way n8n does (function → call it; generic →
 * resolve every header/qs/body/auth entry as an expression with `$credentials` through the
 * workflow's real expression engine). No database, encryption, overwrites or OAuth.
 */
import {
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

export type CredentialValues = Record<string, ICredentialDataDecryptedObject>;

export class HostCredentialsHelper extends ICredentialsHelper {
	/** The `timeout` of every authenticated request as the node asked for it (before any cap). */
	readonly requestedTimeouts: Array<number | undefined> = [];
	private readonly typesByName = new Map<string, ICredentialType>();

	/**
	 * `requestTimeoutMs` caps the timeout of every authenticated request. n8n-core sends the options this
	 * helper's `authenticate` returns, so a test can make a hung server fail fast without the node's code
	 * or parameters knowing; `requestedTimeouts` still shows what the node asked for.
	 */
	constructor(
		credentialTypes: ICredentialType[],
		private readonly values: CredentialValues,
		private readonly requestTimeoutMs?: number,
	) {
		super();
		for (const type of credentialTypes) this.typesByName.set(type.name, type);
	}

	getCredentialType(name: string): ICredentialType {
		const type = this.typesByName.get(name);
		if (type === undefined) {
			throw new Error(`node-host: credential type "${name}" is unknown; pass its class in NodeHost.create({ credentialTypes })`);
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const type = this.typesByName.get(name);
		if (type?.extends === undefined) return [];
		return type.extends.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		this.requestedTimeouts.push(requestOptions.timeout);
		if (this.requestTimeoutMs !== undefined) {
			requestOptions.timeout = Math.min(requestOptions.timeout ?? Infinity, this.requestTimeoutMs);
		}
		const { authenticate } = this.getCredentialType(typeName);
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);

		requestOptions.headers ??= {};
		if (authenticate.type !== 'generic') return requestOptions;
		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				const resolvedKey = this.resolve(key, credentials, workflow, node);
				target[outerKey] ??= {};
				target[outerKey][resolvedKey] = this.resolve(value as string, credentials, workflow, node);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`node-host: encrypted credentials are not modelled (asked for "${type}")`);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.values[type];
		if (data === undefined) throw new Error(`node-host: no credential values given for "${type}"`);
		// A copy per call, like decrypting again: nodes must not be able to change the stored values.
		return structuredClone(data);
	}

	async updateCredentials(): Promise<void> {
		throw new Error('node-host: updating credentials is not modelled');
	}

	async updateCredentialsOauthTokenData(): Promise<void> {
		throw new Error('node-host: OAuth token updates are not modelled');
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private resolve(value: string, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}
}
