/** ECS's rule for InstanceName, as far as the emulator keeps it: 2 to 128 characters, none of them a control character
 *  or a code point XML 1.0 cannot carry (ECS answers in XML too, and a name must survive that). */
const INSTANCE_NAME = /^[^\p{Cc}\p{Cs}\ufffe\uffff]{2,128}$/u;

export const INSTANCE_NAME_RULE = "2 to 128 characters, no control characters";

export function isValidInstanceName(name: string): boolean {
  return INSTANCE_NAME.test(name);
}
