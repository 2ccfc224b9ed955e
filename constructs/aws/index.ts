/**
 * AWS constructs: network, EKS, ECR, IAM, KMS, logs and the EBS reaper. Each module deep-imports only the aws provider resources it uses.
 */
export * from "./cost/ebs-reaper";
export * from "./cost/reaper-member-role";
export * from "./cost/reaper-permissions";
export * from "./ecr/container-registry";
export * from "./eks/eks-cluster";
export * from "./eks/node-group";
export * from "./eks/off-hours-schedule";
export * from "./eks/office-hours";
export * from "./eks/versions";
export * from "./iam/github-oidc-provider";
export * from "./iam/github-oidc-role";
export * from "./iam/irsa-role";
export * from "./iam/managed-policies";
export * from "./iam/service-role";
export * from "./kms/encryption-key";
export * from "./logs/encrypted-log-group";
export * from "./network/vpc-network";
