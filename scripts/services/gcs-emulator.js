// Runs the Cloud Storage emulator of firebase-tools on its own (its `emulators:start` wants
// Java and network access, neither of which CI has). Usage: node gcs-emulator.js PORT PROJECT
"use strict";
const port = Number(process.argv[2]);
const projectId = process.argv[3] || "fleet-test";
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage");
const { createApp } = require("firebase-tools/lib/emulator/storage/server");
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry");

(async () => {
    const emulator = new StorageEmulator({ projectId, host: "127.0.0.1", port, auto_download: false });
    // Without the registry entry every request answers 500.
    EmulatorRegistry.set("storage", emulator);
    const app = await createApp(projectId, emulator);
    app.listen(port, "127.0.0.1", () => console.log(`gcs emulator listening on 127.0.0.1:${port}`));
})().catch((err) => {
    console.error(err);
    process.exit(1);
});
