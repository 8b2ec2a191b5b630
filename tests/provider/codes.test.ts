/**
 * The provider's code table and the emulator's error catalogue, side by side: every ECS error code the emulator can
 * answer with has a rule of its own in the provider (what is retried, what it means on Join and Leave, what to tell
 * the user), so no answer a user can meet falls through to "unknown".
 */
import { ECS_ERROR_CODES } from "../../emulator/errors";
import { isClassified, OWN_CODES, TRANSPORT } from "../../provider/ecs/codes";

test("every code the emulator can raise is classified by the provider", () => {
  expect(ECS_ERROR_CODES.length).toBeGreaterThan(30);
  expect(ECS_ERROR_CODES.filter((code) => !isClassified(code))).toEqual([]);
});

test("the provider's own codes never collide with ECS's", () => {
  const ours = [...Object.values(TRANSPORT), ...Object.values(OWN_CODES)];
  expect(ours.filter((code) => ECS_ERROR_CODES.includes(code))).toEqual([]);
});
