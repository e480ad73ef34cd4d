// Types of the Kakanai agent client: protocol v1 (PROTOCOL.md) and Kakanai's extensions
// (docs/PROTOCOL-EXTENSIONS.md). tests/client/declarations.test.mjs checks the command, event
// and error-code names here against the agent's own tables.

/** The resident: as the card gives it (name printed exactly so), or as the clerk typed it. */
export interface Person {
  name: string;
  address: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female' | 'unspecified';
  /** 12 digits; only when the request asked for it and the agent's configuration allows it. */
  myNumber?: string;
}

export type ReaderRole = 'counter' | 'attendance';
export type CardKind = 'mynumber' | 'other' | 'none';
export type PinState = 'ok' | 'locked' | 'unknown';
/** Verification number B (照合番号B): the card face's parts, or the 14 digits as typed. */
export type VerificationB =
  | { birthDate: string; expiryYear: string; securityCode: string; digits?: never }
  | { digits: string; birthDate?: never; expiryYear?: never; securityCode?: never };
export type AttendanceKind = 'in' | 'out';
export type WarningCode = 'shrunk' | 'wrapped' | 'condensed' | 'fallback_font' | 'overflow' | 'birth_date_after_application' | 'application_date_far' | (string & {});
export type PrinterState = 'idle' | 'processing' | 'stopped' | 'unavailable';

export interface FillWarning { field: string; code: WarningCode; detail: string }
export interface Reader { name: string; cardPresent: boolean; role: ReaderRole }
export interface FormInput { name: string; label: string; type: string; required: boolean }
export interface FormInfo {
  id: string; title: string; pages: number; inputs: FormInput[];
  /** false: the template did not pass the agent's check at start (extension); see unavailableReason. */
  available: boolean;
  unavailableReason?: { code: ErrorCode; message: string };
}
export interface ProcedureInfo {
  id: string; title: string;
  forms: { form: string; title: string; required: boolean; reason: string; available: boolean }[];
  inputs: (FormInput & { forms: string[] })[];
}
export interface Printer { name: string; default: boolean; state: PrinterState }
export interface AttendanceRecord {
  /** This PC's gap-free record number (extension). */
  seq: number;
  staffId: string;
  displayName: string;
  kind: AttendanceKind;
  /** ISO 8601 */
  at: string;
  reader: string;
}

/** Every request: the fields it takes and the result it resolves with. */
export interface Commands {
  'hello': {
    fields: { protocol: 1; token?: string };
    result: { agent: string; version: string; protocol: number; readers: string[]; features: string[] };
  };
  'readers.list': { fields: {}; result: { readers: Reader[] } };
  'card.status': {
    fields: { reader?: string };
    result: {
      reader: string; present: boolean; kind: CardKind; pinRetries: number | null;
      /** Tries left on verification number B (extension); null if unknown. */
      verificationBRetries: number | null;
      /** locked: no PIN try left or no PIN set (face-recognition card): offer B at once. */
      pinState: PinState;
    };
  };
  'card.read': {
    fields: ({ pin: string; verificationB?: never } | { verificationB: VerificationB; pin?: never }) & {
      reader?: string; allowLastTry?: boolean; includeMyNumber?: boolean;
      /** Also prove the card genuine with its PIN-less signature over a fresh challenge. */
      cardSignature?: boolean;
    };
    result: { session: string; person: Person; authentic: boolean; expiresAt: string; cardSignature?: boolean };
  };
  'session.clear': { fields: { session: string }; result: {} };
  'forms.list': { fields: {}; result: { forms: FormInfo[] } };
  'form.fill': {
    fields: ({ session: string; person?: never } | { person: Person; session?: never }) & {
      form: string;
      values?: Record<string, string | number>;
      /** Application date YYYY-MM-DD (default today). */
      date?: string;
    };
    result: { document: string; pages: number; pdfBase64: string; warnings: FillWarning[] };
  };
  /** Extension: the procedures (life events) and the union of their forms' inputs. */
  'procedures.list': { fields: {}; result: { procedures: ProcedureInfo[] } };
  /** Extension: every form of a procedure from one set of answers, and one bundle of all pages. */
  'procedure.fill': {
    fields: ({ session: string; person?: never } | { person: Person; session?: never }) & {
      procedure: string;
      /** By the procedure's input names (procedures.list). */
      values?: Record<string, string | number>;
      /** The optional forms to include; required ones always are. */
      forms?: string[];
      date?: string;
    };
    result: {
      session: string;
      documents: { form: string; document: string; pages: number; warnings: FillWarning[] }[];
      bundle: { document: string; pages: number; pdfBase64: string };
    };
  };
  'document.print': {
    fields: { document: string; printer?: string; copies?: number };
    result: { job: string; printer: string };
  };
  'printers.list': { fields: {}; result: { printers: Printer[] } };
  'attendance.enroll': {
    fields: { staffId: string; displayName: string; reader?: string; timeoutSeconds?: number };
    result: { staffId: string; certNotAfter: string };
  };
  'attendance.list': {
    fields: { from: string; to: string; staffId?: string };
    result: { records: AttendanceRecord[] };
  };
  /** Extension, strong mode: the auth PIN for a tap announced by `attendance.pin_required`. */
  'attendance.verify': {
    fields: { tap: string; pin: string; allowLastTry?: boolean };
    result: { recorded: boolean; seq?: number; staffId?: string; displayName?: string; kind?: AttendanceKind; at?: string; reader?: string };
  };
  /** Extension, demo mode only (`features` lists it). */
  'demo.tap': { fields: { card: 'E0001' | 'E0002' | 'expired' | 'unknown' }; result: {} };
}
export type CommandType = keyof Commands;
export type CommandFields<T extends CommandType> = Commands[T]['fields'];
export type CommandResult<T extends CommandType> = Commands[T]['result'];

/** Every event the agent pushes, with its data. */
export interface AgentEvents {
  'reader.added': { reader: string };
  'reader.removed': { reader: string };
  'card.inserted': { reader: string; kind: CardKind };
  'card.removed': { reader: string; kind: CardKind };
  'session.expired': { session: string };
  'print.completed': { job: string; printer: string };
  'print.failed': { job: string; printer: string; reason: string };
  'attendance.tap': {
    staffId: string; displayName: string; kind: AttendanceKind; at: string; reader: string;
    seq: number; certNotAfter: string; certExpiresSoon: boolean;
  };
  'attendance.unknown_card': { reader: string; at: string };
  /** Extension: a tap that was not recorded. */
  'attendance.refused': {
    reader: string; at: string; message: string;
    code: 'certificate_expired' | 'store_unavailable' | 'not_mynumber' | 'card_removed' | 'card_error' | 'reader_busy';
  };
  /** Extension: the same card again within the double-tap window. */
  'attendance.ignored': { reader: string; at: string; reason: 'double_tap' };
  /** Extension, strong mode: ask the staff member for the auth PIN, then `attendance.verify`. */
  'attendance.pin_required': { tap: string; staffId: string; displayName: string; retriesLeft: number; reader: string; at: string };
}
export type AgentEventName = keyof AgentEvents;

/** The client's own events (not from the agent). */
export interface ClientEvents {
  connected: CommandResult<'hello'>;
  disconnected: undefined;
}

/** The protocol's stable error codes, the extensions', and the client's own (`disconnected`). */
export type ErrorCode =
  | 'hello_required' | 'bad_request' | 'unauthorized' | 'no_reader' | 'no_card' | 'not_mynumber'
  | 'card_removed' | 'reader_busy' | 'pin_format' | 'pin_wrong' | 'pin_last_try' | 'pin_locked'
  | 'card_error' | 'unknown_session' | 'unknown_form' | 'unknown_document' | 'missing_input'
  | 'glyph_missing' | 'printer_unavailable' | 'timeout' | 'internal'
  | 'certificate_expired' | 'store_unavailable' | 'unknown_tap'
  | 'date_out_of_range' | 'grid_mismatch' | 'template_invalid' | 'template_encrypted' | 'template_signed'
  | 'definition_invalid'
  | 'unknown_procedure'
  | ClientErrorCode;
/** Raised by the client itself: no connection, or it closed while a request was in flight. */
export type ClientErrorCode = 'disconnected';

/** Details some error codes carry. */
export interface ErrorDetails {
  /** pin_wrong, pin_last_try */
  retriesLeft?: number;
  /** pin_*: present when the error is about verification number B, not the PIN */
  credential?: 'verificationB';
  /** card_error */
  sw?: string;
  /** missing_input */
  inputs?: string[];
  /** glyph_missing */
  codepoints?: string[];
  [key: string]: unknown;
}

export class KakanaiError extends Error {
  constructor(code: ErrorCode, message: string, details?: ErrorDetails);
  readonly name: 'KakanaiError';
  /** The stable code; switch on it, show `message` (Japanese) to the clerk. */
  code: ErrorCode;
  details: ErrorDetails;
}

export interface ClientOptions {
  /** The agent's client token, when it is configured with one. */
  token?: string;
  /** Default time a request may take (ms, default 30000). */
  timeoutMs?: number;
  /** Reconnect with backoff (0.5 s doubling to 10 s) after the connection drops (default true). */
  reconnect?: boolean;
}
export interface RequestOptions { timeoutMs?: number }

type FieldsArgs<T extends CommandType> = {} extends CommandFields<T>
  ? [fields?: CommandFields<T>, options?: RequestOptions]
  : [fields: CommandFields<T>, options?: RequestOptions];

export type KakanaiEvent<K extends keyof (AgentEvents & ClientEvents)> = CustomEvent<(AgentEvents & ClientEvents)[K]>;

/**
 * An EventTarget at run time; declared without `extends EventTarget` so that only the events
 * above are accepted by addEventListener (EventTarget's own signature takes any string).
 */
export class KakanaiClient {
  /** @param url e.g. 'ws://localhost:47800/v1/ws' */
  constructor(url: string, options?: ClientOptions);
  readonly url: string;
  /** The hello result of the current connection, or null. */
  hello: CommandResult<'hello'> | null;

  /** Opens the connection and says hello. */
  connect(): Promise<CommandResult<'hello'>>;
  /** Closes the connection and stops reconnecting. */
  close(): void;
  /** Sends one request; rejects with a KakanaiError. */
  request<T extends CommandType>(type: T, ...args: FieldsArgs<T>): Promise<CommandResult<T>>;

  readersList(): Promise<CommandResult<'readers.list'>>;
  cardStatus(reader?: string): Promise<CommandResult<'card.status'>>;
  cardRead(args: CommandFields<'card.read'>): Promise<CommandResult<'card.read'>>;
  sessionClear(session: string): Promise<CommandResult<'session.clear'>>;
  formsList(): Promise<CommandResult<'forms.list'>>;
  formFill(args: CommandFields<'form.fill'>): Promise<CommandResult<'form.fill'>>;
  proceduresList(): Promise<CommandResult<'procedures.list'>>;
  procedureFill(args: CommandFields<'procedure.fill'>): Promise<CommandResult<'procedure.fill'>>;
  documentPrint(args: CommandFields<'document.print'>): Promise<CommandResult<'document.print'>>;
  printersList(): Promise<CommandResult<'printers.list'>>;
  attendanceEnroll(args: CommandFields<'attendance.enroll'>): Promise<CommandResult<'attendance.enroll'>>;
  attendanceList(args: CommandFields<'attendance.list'>): Promise<CommandResult<'attendance.list'>>;
  attendanceVerify(args: CommandFields<'attendance.verify'>): Promise<CommandResult<'attendance.verify'>>;
  demoTap(card: CommandFields<'demo.tap'>['card']): Promise<CommandResult<'demo.tap'>>;

  addEventListener<K extends keyof (AgentEvents & ClientEvents)>(
    type: K, listener: (event: KakanaiEvent<K>) => void, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof (AgentEvents & ClientEvents)>(
    type: K, listener: (event: KakanaiEvent<K>) => void, options?: boolean | EventListenerOptions): void;
  dispatchEvent(event: Event): boolean;
}
