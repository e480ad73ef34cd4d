// Kakanai agent client — protocol v1 over the agent's loopback WebSocket.
// An ES module with no dependencies, for counter-system vendors to use as is.
//
//   import { KakanaiClient } from './kakanai-client.js';
//   const agent = new KakanaiClient('ws://localhost:47800/v1/ws');
//   agent.addEventListener('card.inserted', (e) => console.log(e.detail.reader));
//   await agent.connect();
//   const { session, person } = await agent.cardRead({ pin: '1234' });

/**
 * @typedef {{name: string, address: string, birthDate: string, sex: 'male'|'female'|'unspecified', myNumber?: string}} Person
 * @typedef {{field: string, code: string, detail: string}} FillWarning
 */

/** An error answer from the agent: `code` is the protocol's stable code. */
export class KakanaiError extends Error {
  /** @param {string} code @param {string} message @param {object} details */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'KakanaiError';
    /** @type {string} */ this.code = code;
    /** @type {object} */ this.details = details;
  }
}

export class KakanaiClient extends EventTarget {
  /**
   * @param {string} url e.g. 'ws://localhost:47800/v1/ws'
   * @param {{token?: string, timeoutMs?: number, reconnect?: boolean}} [options]
   */
  constructor(url, options = {}) {
    super();
    this.url = url;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30000;
    this.reconnect = options.reconnect ?? true;
    /** @type {WebSocket|null} */ this.socket = null;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */ this.pending = new Map();
    this.nextId = 1;
    this.closedByUser = false;
    this.backoffMs = 500;
    /** @type {object|null} */ this.hello = null;
  }

  /** Opens the connection and says hello. Resolves with the hello result. */
  async connect() {
    this.closedByUser = false;
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.socket = ws;
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new KakanaiError('disconnected', 'エージェントに接続できません。'));
      ws.onmessage = (m) => this.#onMessage(m.data);
      ws.onclose = () => this.#onClose();
    });
    const fields = { protocol: 1 };
    if (this.token) fields.token = this.token;
    this.hello = await this.request('hello', fields);
    this.backoffMs = 500;
    this.dispatchEvent(new CustomEvent('connected', { detail: this.hello }));
    return this.hello;
  }

  close() {
    this.closedByUser = true;
    this.socket?.close();
  }

  /**
   * Sends one request; resolves with its result or rejects with a KakanaiError.
   * @param {string} type @param {object} [fields] @param {{timeoutMs?: number}} [options]
   */
  request(type, fields = {}, options = {}) {
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject(new KakanaiError('disconnected', 'エージェントに接続していません。'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new KakanaiError('timeout', '応答がありません。'));
      }, options.timeoutMs ?? this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ id, type, ...fields }));
    });
  }

  readersList() { return this.request('readers.list'); }
  /** @param {string} [reader] */
  cardStatus(reader) { return this.request('card.status', reader ? { reader } : {}); }
  /** @param {{pin: string, reader?: string, allowLastTry?: boolean, includeMyNumber?: boolean}} args */
  cardRead(args) { return this.request('card.read', args, { timeoutMs: 60000 }); }
  /** @param {string} session */
  sessionClear(session) { return this.request('session.clear', { session }); }
  formsList() { return this.request('forms.list'); }
  /** @param {{form: string, session?: string, person?: Person, values?: object, date?: string}} args */
  formFill(args) { return this.request('form.fill', args, { timeoutMs: 60000 }); }
  proceduresList() { return this.request('procedures.list', {}); }
  procedureFill(args) { return this.request('procedure.fill', args, { timeoutMs: 120000 }); }
  /** @param {{document: string, printer?: string, copies?: number}} args */
  documentPrint(args) { return this.request('document.print', args); }
  printersList() { return this.request('printers.list'); }
  /**
   * Binds the next card tapped on an attendance reader to a staff member (waits for the tap).
   * @param {{staffId: string, displayName: string, reader?: string, timeoutSeconds?: number}} args
   * @returns {Promise<{staffId: string, certNotAfter: string}>}
   */
  attendanceEnroll(args) { return this.request('attendance.enroll', args, { timeoutMs: ((args.timeoutSeconds ?? 30) + 5) * 1000 }); }
  /**
   * @param {{from: string, to: string, staffId?: string}} args ISO dates (working days)
   * @returns {Promise<{records: Array<{seq: number, staffId: string, displayName: string, kind: 'in'|'out', at: string, reader: string}>}>}
   */
  attendanceList(args) { return this.request('attendance.list', args); }
  /**
   * Strong mode: the auth PIN for a tap announced by an `attendance.pin_required` event.
   * @param {{tap: string, pin: string, allowLastTry?: boolean}} args
   * @returns {Promise<{recorded: boolean, staffId?: string, kind?: 'in'|'out', at?: string}>}
   */
  attendanceVerify(args) { return this.request('attendance.verify', args, { timeoutMs: 30000 }); }
  /** Demo mode only: taps a built-in staff card ("E0001", "E0002", "expired", "unknown"). */
  demoTap(card) { return this.request('demo.tap', { card }); }

  #onMessage(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.event) {
      this.dispatchEvent(new CustomEvent(message.event, { detail: message.data }));
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.ok) {
      entry.resolve(message.result);
    } else {
      const { code, message: clerkMessage, ...details } = message.error;
      entry.reject(new KakanaiError(code, clerkMessage, details));
    }
  }

  #onClose() {
    for (const [, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new KakanaiError('disconnected', 'エージェントとの接続が切れました。'));
    }
    this.pending.clear();
    this.dispatchEvent(new CustomEvent('disconnected'));
    if (this.closedByUser || !this.reconnect) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 10000);
    setTimeout(() => this.connect().catch(() => {}), delay);
  }
}
