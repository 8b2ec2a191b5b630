import type { Instance, InstanceStatus, WorldSettings } from "./types";

type Transitional = "Pending" | "Starting" | "Stopping";

/** Where each transitional status settles, and which configured delay it takes. */
const TRANSITIONS: Record<Transitional, { to: InstanceStatus; delay: keyof WorldSettings["statusDelaysMs"] }> = {
  Pending: { to: "Running", delay: "pendingToRunning" },
  Starting: { to: "Running", delay: "startingToRunning" },
  Stopping: { to: "Stopped", delay: "stoppingToStopped" },
};

function transitionOf(status: InstanceStatus) {
  return (TRANSITIONS as Partial<Record<InstanceStatus, (typeof TRANSITIONS)[Transitional]>>)[status];
}

/** Puts the instance into `status`; a transitional one settles after its configured delay. */
export function enterStatus(instance: Instance, status: InstanceStatus, now: number, settings: WorldSettings): void {
  instance.status = status;
  const transition = transitionOf(status);
  if (transition) instance.transitionEndsAt = now + settings.statusDelaysMs[transition.delay];
  else delete instance.transitionEndsAt;
}

/** Gives a seeded or patched instance a consistent transition: a transitional status without an end settles after the delay from now. */
export function normalizeTransition(instance: Instance, now: number, settings: WorldSettings): void {
  if (!transitionOf(instance.status)) delete instance.transitionEndsAt;
  else if (instance.transitionEndsAt === undefined) enterStatus(instance, instance.status, now, settings);
}

/** Transitions are lazy: whoever looks at the instance first after the end time sees it settled. */
export function settle(instance: Instance, now: number): void {
  const transition = transitionOf(instance.status);
  if (transition && instance.transitionEndsAt != null && instance.transitionEndsAt <= now) {
    instance.status = transition.to;
    delete instance.transitionEndsAt;
  }
}
