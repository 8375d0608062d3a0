import { join, resolve } from "node:path";
import { defaultLocalConfigPath } from "../../../common/local-config";
import { emulatorDataDir, loadEmulatorConfig } from "../../../emulator/config";

test("defaults to the .data folder, the project's local config and the config file's port", () => {
  expect(loadEmulatorConfig({})).toEqual({ host: "127.0.0.1", dataDir: resolve(".data"), configPath: defaultLocalConfigPath });
});

test("keeps the emulator's files in the emulator subfolder of the data folder", () => {
  expect(emulatorDataDir("/srv/data")).toBe(join("/srv/data", "emulator"));
});

test("reads port, data folder, config path and issuer from the environment", () => {
  expect(
    loadEmulatorConfig({
      EMULATOR_PORT: "9300",
      TOBIRA_DATA_DIR: "/tmp/d",
      TOBIRA_CONFIG: "/tmp/c.json",
      EMULATOR_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/p_1",
    }),
  ).toMatchObject({ port: 9300, dataDir: "/tmp/d", configPath: "/tmp/c.json", issuer: "https://cognito-idp.us-east-1.amazonaws.com/p_1" });
});

test("treats empty variables as unset", () => {
  expect(loadEmulatorConfig({ EMULATOR_PORT: "" }).port).toBeUndefined();
});

test("refuses a port that is not a port number", () => {
  expect(() => loadEmulatorConfig({ EMULATOR_PORT: "70000" })).toThrow(/EMULATOR_PORT/);
});

test("refuses an issuer that is not a URL", () => {
  expect(() => loadEmulatorConfig({ EMULATOR_ISSUER: "not a url" })).toThrow(/EMULATOR_ISSUER/);
});
