// Entry point for azd (`azd up` / `azd provision`). Subscription scope: it creates the resource
// group and deploys infra/resources.json into it. The resources themselves live in that ARM JSON
// template, which the tests validate offline against the ARM schemas; this file is only
// parse-checked here (no Bicep compiler is available offline). No registry modules (br/public:).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; seeds resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region of the resource group and every resource. It must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('ARC_WI_ALLOWED_SCOPES: comma-separated subscription or resource-group ids the app may reconcile. Empty: this subscription.')
param allowedScopes string = ''

@description('ARC_WI_POLICY_PATH: policy file deployed with the code, relative to the app root.')
param policyPath string = ''

@description('Resource group name. Empty: rg-<environmentName>.')
param resourceGroupName string = ''

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module resources './resources.json' = {
  name: 'arc-wi-resources'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    allowedScopes: empty(allowedScopes) ? subscription().id : allowedScopes
    policyPath: policyPath
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_FUNCTION_APP_ID string = resources.outputs.functionAppResourceId
output AZURE_FUNCTION_APP_PRINCIPAL_ID string = resources.outputs.functionAppPrincipalId
output AZURE_STORAGE_ACCOUNT_ID string = resources.outputs.storageAccountResourceId
output ARC_WI_DEAD_LETTER_CONTAINER string = resources.outputs.deadLetterContainerName
