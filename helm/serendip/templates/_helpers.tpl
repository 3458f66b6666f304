{{- define "serendip.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "serendip.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "serendip.operatorName" -}}
{{- printf "%s-operator" (include "serendip.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "serendip.selectorLabels" -}}
app.kubernetes.io/name: {{ include "serendip.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "serendip.labels" -}}
{{ include "serendip.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "serendip.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "serendip.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "serendip.image" -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) -}}
{{- end -}}

{{/* Restricted Pod Security Standard, shared by every pod the chart creates. */}}
{{- define "serendip.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "serendip.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
What the operator may do in a namespace it watches. No wildcards: every verb and resource is named.
Owned objects are read, created, updated and deleted; pods are only read (scheduling diagnosis), and the
logs of training pods (their progress);
events are only written; the custom resources are never created or deleted by the operator.
*/}}
{{- define "serendip.operatorRules" -}}
- apiGroups: ["serendip.io"]
  resources: ["interestclustersets", "interestmodels", "recommendermodels", "explorationexperiments"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["serendip.io"]
  resources: ["interestclustersets/status", "interestmodels/status", "recommendermodels/status", "explorationexperiments/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["serendip.io"]
  resources: ["interestclustersets/finalizers", "interestmodels/finalizers", "recommendermodels/finalizers", "explorationexperiments/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Create only: the router's request-id key is written once and never read back by the operator.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Training with several workers: Kubeflow Training Operator PyTorchJobs (granted whether or not that CRD exists).
- apiGroups: ["kubeflow.org"]
  resources: ["pytorchjobs"]
  verbs: ["get", "create", "delete"]
# An experiment's route through the cluster's gateway: Gateway API HTTPRoutes (granted whether or not that CRD exists).
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "create", "patch", "delete"]
{{- end -}}
