// Hearth playground: a chat page over this server's OpenAI-compatible API (/v1/models, /v1/chat/completions with
// server-sent events). Plain browser JavaScript, no framework, no CDN; served with a strict Content-Security-Policy.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    model: $("model"), refresh: $("refresh-models"), apiKey: $("api-key"), banner: $("banner"), log: $("log"),
    empty: $("empty-hint"), composer: $("composer"), message: $("message"), send: $("send"), stop: $("stop"),
    clear: $("clear"), system: $("system"), temperature: $("temperature"), temperatureValue: $("temperature-value"),
    topP: $("top-p"), topPValue: $("top-p-value"), maxTokens: $("max-tokens"), seed: $("seed"),
  };
  const stored = {
    get: (key) => { try { return localStorage.getItem("hearth." + key); } catch { return null; } },
    set: (key, value) => { try { localStorage.setItem("hearth." + key, value); } catch { /* private mode */ } },
  };

  /** The conversation so far, as OpenAI messages (the system prompt is added per request). */
  let history = [];
  let controller = null;

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = ui.apiKey.value.trim();
    if (key) h.Authorization = "Bearer " + key;
    return h;
  }

  function showBanner(text) {
    ui.banner.textContent = text;
    ui.banner.hidden = !text;
  }

  /** The message of an OpenAI- or Ollama-shaped error body, else the HTTP status. */
  async function errorText(response) {
    const body = await response.text();
    try {
      const json = JSON.parse(body);
      const message = typeof json.error === "string" ? json.error : json.error && json.error.message;
      if (message) return `${message} (HTTP ${response.status})`;
    } catch { /* not JSON */ }
    return `HTTP ${response.status} ${response.statusText}${body ? ": " + body.slice(0, 300) : ""}`;
  }

  async function loadModels() {
    showBanner("");
    const previous = ui.model.value || stored.get("model");
    try {
      const response = await fetch("/v1/models", { headers: headers() });
      if (!response.ok) throw new Error(await errorText(response));
      const list = await response.json();
      const ids = (list.data || []).map((m) => m.id).sort();
      ui.model.replaceChildren(...ids.map((id) => new Option(id, id)));
      if (ids.length === 0) {
        ui.model.replaceChildren(new Option("no models: run 'hearth pull' or 'hearth create'", ""));
      } else if (previous && ids.includes(previous)) {
        ui.model.value = previous;
      }
    } catch (e) {
      ui.model.replaceChildren(new Option("unavailable", ""));
      showBanner("Could not list models: " + e.message);
    }
  }

  function addMessage(role, text) {
    ui.empty.hidden = true;
    const item = document.createElement("li");
    item.className = "message " + role;
    const label = document.createElement("div");
    label.className = "role";
    label.textContent = role === "error" ? "error" : role;
    const content = document.createElement("div");
    content.className = "content";
    content.textContent = text;
    item.append(label, content);
    ui.log.append(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function showStats(item, stats) {
    const line = document.createElement("div");
    line.className = "stats";
    const parts = [`${stats.tokens} tokens`];
    if (stats.tokensPerSecond !== null) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
    if (stats.ttftMs !== null) parts.push(`TTFT ${Math.round(stats.ttftMs)} ms`);
    if (stats.finish) parts.push(stats.finish);
    line.textContent = parts.join(" · ");
    item.append(line);
  }

  function requestBody(model) {
    const messages = [];
    const system = ui.system.value.trim();
    if (system) messages.push({ role: "system", content: system });
    messages.push(...history);
    const body = {
      model, messages, stream: true, stream_options: { include_usage: true },
      temperature: Number(ui.temperature.value), top_p: Number(ui.topP.value),
    };
    const maxTokens = parseInt(ui.maxTokens.value, 10);
    if (Number.isFinite(maxTokens) && maxTokens > 0) body.max_tokens = maxTokens;
    const seed = parseInt(ui.seed.value, 10);
    if (Number.isFinite(seed)) body.seed = seed;
    return body;
  }

  /** Reads server-sent events from a fetch response and calls onData with each event's data. */
  async function readEvents(response, onData) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
        if (data && onData(data) === false) return;
      }
    }
  }

  async function send(text) {
    const model = ui.model.value;
    if (!model) { showBanner("Pick a model first."); return; }
    showBanner("");
    history.push({ role: "user", content: text });
    addMessage("user", text);
    const item = addMessage("assistant", "");
    item.classList.add("streaming");
    const content = item.querySelector(".content");
    setBusy(true);

    controller = new AbortController();
    const sentAt = performance.now();
    let firstAt = null, lastAt = null, pieces = 0, usage = null, finish = null, reply = "";
    try {
      const response = await fetch("/v1/chat/completions", {
        method: "POST", headers: headers(), body: JSON.stringify(requestBody(model)), signal: controller.signal,
      });
      if (!response.ok) throw new Error(await errorText(response));
      await readEvents(response, (data) => {
        if (data === "[DONE]") return false;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(chunk.error.message || String(chunk.error));
        if (chunk.usage) usage = chunk.usage;
        for (const choice of chunk.choices || []) {
          const delta = choice.delta && choice.delta.content;
          if (delta) {
            const now = performance.now();
            if (firstAt === null) firstAt = now;
            lastAt = now;
            pieces++;
            reply += delta;
            content.textContent = reply;
            item.scrollIntoView({ block: "end" });
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
        return true;
      });
      finishReply(item, reply, { sentAt, firstAt, lastAt, pieces, usage, finish });
    } catch (e) {
      if (e.name === "AbortError") {
        finishReply(item, reply, { sentAt, firstAt, lastAt, pieces, usage, finish: "stopped" });
      } else {
        item.classList.remove("streaming");
        if (!reply) item.remove();
        history.pop();
        addMessage("error", e.message);
      }
    } finally {
      controller = null;
      setBusy(false);
    }
  }

  function finishReply(item, reply, t) {
    item.classList.remove("streaming");
    history.push({ role: "assistant", content: reply });
    const tokens = t.usage ? t.usage.completion_tokens : t.pieces;
    // Decode speed: tokens after the first over the time they took (the first one's wait is the TTFT).
    const decodeSeconds = t.firstAt !== null && t.lastAt > t.firstAt ? (t.lastAt - t.firstAt) / 1000 : 0;
    const tokensPerSecond = tokens > 1 && decodeSeconds > 0 ? (tokens - 1) / decodeSeconds : null;
    showStats(item, {
      tokens, tokensPerSecond, ttftMs: t.firstAt !== null ? t.firstAt - t.sentAt : null, finish: t.finish,
    });
  }

  function setBusy(busy) {
    ui.send.disabled = busy;
    ui.stop.disabled = !busy;
    ui.model.disabled = busy;
  }

  function bindRange(input, output, key) {
    const saved = stored.get(key);
    if (saved !== null) input.value = saved;
    const show = () => { output.textContent = input.value; stored.set(key, input.value); };
    input.addEventListener("input", show);
    show();
  }

  function bindField(input, key) {
    const saved = stored.get(key);
    if (saved !== null) input.value = saved;
    input.addEventListener("change", () => stored.set(key, input.value));
  }

  ui.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = ui.message.value.trim();
    if (!text || controller) return;
    ui.message.value = "";
    send(text);
  });
  ui.message.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ui.composer.requestSubmit();
    }
  });
  ui.stop.addEventListener("click", () => controller && controller.abort());
  ui.clear.addEventListener("click", () => {
    history = [];
    ui.log.replaceChildren(ui.empty);
    ui.empty.hidden = false;
  });
  ui.model.addEventListener("change", () => stored.set("model", ui.model.value));
  ui.refresh.addEventListener("click", loadModels);
  ui.apiKey.value = stored.get("apiKey") || "";
  ui.apiKey.addEventListener("change", () => { stored.set("apiKey", ui.apiKey.value.trim()); loadModels(); });
  bindRange(ui.temperature, ui.temperatureValue, "temperature");
  bindRange(ui.topP, ui.topPValue, "topP");
  bindField(ui.maxTokens, "maxTokens");
  bindField(ui.seed, "seed");
  bindField(ui.system, "system");
  loadModels();
})();
