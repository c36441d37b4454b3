// The insights panel's webview type, for the serializer that restores it after a reload.
export const INSIGHTS_VIEW_TYPE = 'runbooks.insights';
