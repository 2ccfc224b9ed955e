/**
 * Data-loss risk of deleting or replacing a resource, by terraform type: the curated table the
 * plan summary uses to tell a reviewer whether a replacement only re-creates configuration
 * (stateless) or destroys something that holds data, identity or addresses (stateful).
 *
 * The threat: a reviewer waves through a replacement that looks routine and loses a cluster, a
 * bucket or a key. So the table is an allow-list of *stateless* types, each with the reason it is
 * safe; everything not in it, including every type nobody classified yet, counts as stateful.
 * The stateful entries exist to say *why* in the summary, not to decide anything.
 */

/** How dangerous deleting or replacing a resource of a type is. */
export type RiskClass = "stateless" | "stateful";

/** A type's class and the one-line reason a reviewer reads. */
export interface TypeRisk {
  readonly risk: RiskClass;
  readonly reason: string;
  /** False when the type is not in the table (treated as stateful). */
  readonly classified: boolean;
}

const POLICY = "a policy document, re-created from code";
const ATTACHMENT = "an attachment or association, re-created from code";
const ROUTING = "routing configuration, re-created from code";
const BUCKET_SETTING = "a bucket setting, re-applied from code; the objects stay";
const K8S_OBJECT = "a Kubernetes object rebuilt from code; pods roll";
const ALERTING = "alerting configuration, re-created from code (history starts over)";

/** Types whose delete or replacement loses no data: what is lost is re-created from code. */
const STATELESS: Record<string, string> = {
  // AWS: IAM, policies and attachments
  aws_iam_role: "an IAM role, re-created from code (same name and ARN)",
  aws_iam_role_policy: POLICY,
  aws_iam_policy: POLICY,
  aws_iam_role_policy_attachment: ATTACHMENT,
  aws_iam_openid_connect_provider: "an OIDC trust anchor, re-created from the same issuer URL",
  aws_ecr_lifecycle_policy: POLICY,
  aws_ecr_repository_policy: POLICY,
  aws_s3_bucket_policy: POLICY,
  aws_sns_topic_policy: POLICY,
  aws_sqs_queue_policy: POLICY,
  aws_kms_alias: "an alias name pointing at a key; the key stays",
  aws_lambda_permission: POLICY,
  // AWS: S3 bucket settings (the bucket itself is stateful)
  aws_s3_bucket_lifecycle_configuration: BUCKET_SETTING,
  aws_s3_bucket_ownership_controls: BUCKET_SETTING,
  aws_s3_bucket_public_access_block: BUCKET_SETTING,
  aws_s3_bucket_server_side_encryption_configuration: BUCKET_SETTING,
  aws_s3_bucket_versioning: BUCKET_SETTING,
  aws_s3_bucket_logging: BUCKET_SETTING,
  // AWS: compute configuration, events, alarms
  aws_launch_template: "a launch template version, re-created from code",
  aws_lambda_function: "function code and settings, re-deployed from the bundle",
  aws_lambda_function_event_invoke_config: "invocation settings, re-created from code",
  aws_cloudwatch_event_rule: "a schedule or event rule, re-created from code",
  aws_cloudwatch_event_target: ATTACHMENT,
  aws_cloudwatch_metric_alarm: ALERTING,
  aws_sns_topic_subscription: "a subscription, re-created from code (email endpoints confirm again)",
  aws_eks_addon: "a managed add-on, re-installed by EKS",
  aws_eks_access_entry: "a cluster access mapping, re-created from code",
  aws_eks_access_policy_association: ATTACHMENT,
  aws_flow_log: "a flow-log subscription; the logs stay in their log group",
  // AWS: network configuration
  aws_route: ROUTING,
  aws_route_table: ROUTING,
  aws_route_table_association: ATTACHMENT,
  aws_default_security_group: "rules of the VPC's default group, re-applied from code",
  aws_security_group_rule: "a firewall rule, re-created from code",
  aws_vpc_security_group_ingress_rule: "a firewall rule, re-created from code",
  aws_vpc_security_group_egress_rule: "a firewall rule, re-created from code",
  // Azure
  azurerm_role_assignment: ATTACHMENT,
  azurerm_management_lock: "a delete lock, re-created from code",
  azurerm_network_security_group: "firewall rules, re-created from code",
  azurerm_network_security_rule: "a firewall rule, re-created from code",
  azurerm_subnet_network_security_group_association: ATTACHMENT,
  azurerm_monitor_data_collection_rule: "a collection rule, re-created from code",
  azurerm_monitor_data_collection_rule_association: ATTACHMENT,
  azurerm_monitor_diagnostic_setting: "a diagnostic export setting; exported logs stay",
  azurerm_virtual_network_gateway_connection: "a tunnel definition, re-created from code and Key Vault (the tunnel drops meanwhile)",
  azurerm_federated_identity_credential: "a trust mapping, re-created from code",
  azurerm_firewall_policy_rule_collection_group: "firewall rules, re-created from code (while gone, the firewall denies every branch flow)",
  azurerm_vpn_server_configuration: "the point-to-site sign-in settings, re-created from code",
  // Kubernetes (cluster-scoped data lives in namespaces and volumes, which are stateful)
  kubernetes_deployment_v1: K8S_OBJECT,
  kubernetes_service_v1: K8S_OBJECT,
  kubernetes_service_account_v1: K8S_OBJECT,
  kubernetes_config_map_v1: K8S_OBJECT,
  kubernetes_horizontal_pod_autoscaler_v2: K8S_OBJECT,
  kubernetes_pod_disruption_budget_v1: K8S_OBJECT,
  kubernetes_network_policy_v1: K8S_OBJECT,
  kubernetes_limit_range_v1: K8S_OBJECT,
  kubernetes_resource_quota_v1: K8S_OBJECT,
  kubernetes_role_binding_v1: K8S_OBJECT,
  kubernetes_cluster_role_binding_v1: K8S_OBJECT,
  // Datadog
  datadog_monitor: ALERTING,
  datadog_synthetics_test: ALERTING,
  datadog_dashboard_json: "a dashboard definition, re-created from code (its URL changes)",
  datadog_dashboard: "a dashboard definition, re-created from code (its URL changes)",
};

/** Types that hold data, identity or addresses, with what is lost. */
const STATEFUL: Record<string, string> = {
  aws_eks_cluster: "the cluster and every workload and secret in it",
  aws_eks_node_group: "the nodes, their pods and local volumes",
  aws_s3_bucket: "the bucket's objects (for the state bucket: every stack's state)",
  aws_ecr_repository: "every image in the repository",
  aws_kms_key: "the key: anything encrypted with it becomes unreadable",
  aws_cloudwatch_log_group: "the log history",
  aws_sqs_queue: "queued messages (for a dead-letter queue: the failed events)",
  aws_sns_topic: "the topic ARN and its confirmed subscriptions",
  aws_vpc: "the network and everything attached to it",
  aws_subnet: "every instance and interface in the subnet",
  aws_eip: "the public IP address (partners allow-list it)",
  aws_nat_gateway: "the egress IP address and open connections",
  aws_internet_gateway: "the VPC's internet path while it is re-created",
  aws_db_instance: "the database",
  aws_rds_cluster: "the database cluster",
  aws_dynamodb_table: "the table's items",
  aws_efs_file_system: "the file system's data",
  aws_ebs_volume: "the volume's data",
  aws_secretsmanager_secret: "the secret and its versions",
  azurerm_kubernetes_cluster: "the cluster and every workload and secret in it",
  azurerm_kubernetes_cluster_node_pool: "the nodes, their pods and local volumes",
  azurerm_key_vault: "every secret, key and certificate in the vault",
  azurerm_key_vault_secret: "the secret's value and versions",
  azurerm_storage_account: "every blob, file and table in the account (for the state account: every stack's state)",
  azurerm_storage_container: "every blob in the container",
  azurerm_resource_group: "everything in the resource group",
  azurerm_virtual_network: "the network and everything attached to it",
  azurerm_subnet: "every interface in the subnet",
  azurerm_virtual_network_gateway: "the VPN gateway (30-45 minutes to re-create; every tunnel drops)",
  azurerm_local_network_gateway: "the customer's gateway definition and its tunnel",
  azurerm_virtual_wan: "the virtual WAN and every hub, site and gateway in it",
  azurerm_virtual_hub: "the hub with its gateways, firewall and connections (an hour or more to re-create; every tunnel and VPN client drops)",
  azurerm_virtual_hub_routing_intent: "customer isolation: while gone, branch traffic is not routed through the firewall",
  azurerm_firewall: "the hub firewall (routing intent points at it; branch traffic stops until it is back)",
  azurerm_vpn_gateway: "the hub's site-to-site gateway and its public IPs (customers allow-list them; every tunnel drops)",
  azurerm_point_to_site_vpn_gateway: "the point-to-site gateway (every DB admin session drops)",
  azurerm_vpn_site: "the customer's site definition and its connection",
  azurerm_resource_group_template_deployment: "for a customer connection: the tunnel (deleting the deployment deletes the connection it deployed)",
  azurerm_public_ip: "the public IP address (customers allow-list it)",
  azurerm_log_analytics_workspace: "the log history",
  azurerm_user_assigned_identity: "the identity's principal id, which role assignments and federations name",
  kubernetes_namespace_v1: "every object in the namespace",
  kubernetes_persistent_volume_claim_v1: "the volume's data",
  kubernetes_secret_v1: "the secret's data",
  datadog_service_level_objective: "the SLO's history and error budget",
};

const UNCLASSIFIED = "not in the curated table (tools/review/data-loss-risk.ts), so treated as stateful";

/** The data-loss risk of deleting or replacing a resource of `type`. */
export function riskOf(type: string): TypeRisk {
  if (type in STATELESS) return { risk: "stateless", reason: STATELESS[type], classified: true };
  if (type in STATEFUL) return { risk: "stateful", reason: `loses ${STATEFUL[type]}`, classified: true };
  return { risk: "stateful", reason: UNCLASSIFIED, classified: false };
}
