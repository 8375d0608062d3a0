// oidc-provider 9 ships no type declarations; this covers the part the BFF uses (see its
// docs/README.md for the full API). Kept loose where the library accepts many shapes.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type UnknownObject = Record<string, unknown>;

  export interface AdapterPayload extends UnknownObject {
    jti?: string;
    uid?: string;
    grantId?: string;
    userCode?: string;
    consumed?: unknown;
    exp?: number;
    kind?: string;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }
  export type AdapterConstructor = new (modelName: string) => Adapter;

  export interface ClientMetadata extends UnknownObject {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
    clientAuthMethod: string;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
    [key: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: UnknownObject, rejected: string[]): Promise<UnknownObject> | UnknownObject;
  }

  export interface Session {
    jti: string;
    uid: string;
    accountId?: string;
    loginTs?: number;
    authorizations?: Record<string, { grantId?: string; persistsLogout?: boolean; sid?: string }>;
    readonly new?: boolean;
    grantIdFor(clientId: string): string | undefined;
    authorizationFor(clientId: string): { grantId?: string; persistsLogout?: boolean };
    destroy(): Promise<void>;
  }

  export interface Grant {
    jti: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface InteractionPrompt {
    name: string;
    reasons: string[];
    details: UnknownObject;
  }

  export interface Interaction {
    uid: string;
    jti: string;
    params: UnknownObject & { client_id?: string; scope?: string; max_age?: number | string; id_token_hint?: string };
    prompt: InteractionPrompt;
    session?: { accountId?: string; uid?: string; cookie?: string };
    grantId?: string;
    returnTo: string;
    iat: number;
    exp: number;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; ts?: number; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface CookiesLike {
    get(name: string, options?: UnknownObject): string | undefined;
    set(name: string, value: string | null, options?: UnknownObject): unknown;
  }

  export interface OIDCContext {
    route: string;
    params: UnknownObject;
    client?: Client;
    session?: Session;
    result?: InteractionResults;
    entities: UnknownObject;
    provider: Provider;
    requestParamOIDCScopes: Set<string>;
    requestParamClaims: Set<string>;
    urlFor(name: string, opts?: UnknownObject): string;
  }

  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    oidc: OIDCContext;
    status: number;
    type: string;
    body: unknown;
    secure: boolean;
    host: string;
    cookies: CookiesLike;
    set(name: string, value: string): void;
    get(name: string): string;
    response: { get(name: string): string };
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> | void;

  export interface Configuration extends UnknownObject {}

  export interface ModelStatic<T> {
    readonly prototype: object;
    find(id: string, options?: UnknownObject): Promise<T | undefined>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
    on(event: string, listener: (...args: any[]) => void): this;
    createContext(req: IncomingMessage, res: ServerResponse): KoaContextWithOIDC;
    cookieName(type: "session" | "interaction" | "resume"): string;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    urlFor(name: string, opts?: UnknownObject): string;
    readonly Client: ModelStatic<Client>;
    readonly Interaction: ModelStatic<Interaction>;
    readonly Session: ModelStatic<Session> & { get(ctx: KoaContextWithOIDC): Promise<Session>; findByUid(uid: string): Promise<Session | undefined> };
    readonly Grant: ModelStatic<Grant> & (new (init: { accountId: string; clientId: string }) => Grant);
  }

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void };
  }

  export interface Policy extends Array<Prompt> {
    get(name: string): Prompt | undefined;
  }

  export const interactionPolicy: {
    base(): Policy;
    Check: typeof Check;
  };

  export class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    error: string;
    error_description?: string;
    status: number;
    statusCode: number;
    expose: boolean;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidGrant: new (description?: string) => OIDCProviderError;
    InvalidRequest: new (description?: string) => OIDCProviderError;
    AccessDenied: new (description?: string) => OIDCProviderError;
    SessionNotFound: new (description?: string) => OIDCProviderError;
  };

  export default Provider;
}
