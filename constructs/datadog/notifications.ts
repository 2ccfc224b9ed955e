import { IConstruct } from "constructs";
import { ConfigError } from "../errors";

/**
 * Who hears about a monitor or synthetic test, per environment: production pages an on-call
 * rotation, test posts to a chat channel. Datadog routes by `@handle` mentions in the message.
 */
export interface NotificationTargets {
  /** Notified on alert, no data and recovery, e.g. ["@pagerduty-platform"] in prod, ["@slack-platform-test"] in test. */
  readonly alert: readonly string[];
  /**
   * Notified on warning; a warning should never page.
   * @default the alert targets
   */
  readonly warning?: readonly string[];
  /** Minutes before an unresolved alert notifies again. */
  readonly renotifyMinutes: number;
}

/** A Datadog notification handle: @slack-..., @pagerduty-..., @opsgenie-..., @oncall-..., @webhook-... or an e-mail. */
export const NOTIFICATION_HANDLE = /^@([a-z]+-[\w.+-]+|[\w.+-]+@[\w-]+(\.[\w-]+)+)$/i;
/** Handles that page a person (as opposed to posting to a channel). */
export const PAGING_HANDLE = /^@(pagerduty|opsgenie|oncall)-/i;
/** Renotify bounds: more often than 10 minutes is noise, less than daily is forgotten. */
export const RENOTIFY_MINUTES = {
  /** Shortest renotify interval, in minutes. */
  min: 10,
  /** Longest renotify interval, in minutes (one day). */
  max: 1440,
} as const;

/** Check targets; throws a ConfigError naming the bad value and the fix. */
export function validateTargets(targets: NotificationTargets, scope?: IConstruct): void {
  if (targets.alert.length === 0) {
    throw new ConfigError("notifications.alert is empty: name at least one target (e.g. @pagerduty-<service> in prod, @slack-<channel> in test)", scope);
  }
  for (const handle of [...targets.alert, ...(targets.warning ?? [])]) {
    if (!NOTIFICATION_HANDLE.test(handle)) {
      throw new ConfigError(`notification target "${handle}" is not a Datadog handle; use @slack-<channel>, @pagerduty-<service>, @opsgenie-<team> or @<email>`, scope);
    }
  }
  const renotify = targets.renotifyMinutes;
  if (!Number.isInteger(renotify) || renotify < RENOTIFY_MINUTES.min || renotify > RENOTIFY_MINUTES.max) {
    throw new ConfigError(`notifications.renotifyMinutes must be an integer from ${RENOTIFY_MINUTES.min} to ${RENOTIFY_MINUTES.max}, got ${renotify}`, scope);
  }
}

/**
 * The notification message: what is wrong and what to do first, then the handles inside
 * Datadog's status conditionals so warnings go to the warning targets and alerts, no-data and
 * recoveries to the alert targets.
 */
export function notificationMessage(description: string, targets: NotificationTargets): string {
  const alert = targets.alert.join(" ");
  const warning = (targets.warning && targets.warning.length > 0 ? targets.warning : targets.alert).join(" ");
  return [
    description.trim(),
    "",
    `{{#is_warning}}${warning}{{/is_warning}}`,
    `{{#is_alert}}${alert}{{/is_alert}}`,
    `{{#is_no_data}}${alert}{{/is_no_data}}`,
    `{{#is_recovery}}${alert}{{/is_recovery}}`,
  ].join("\n");
}
