using Google.Apis.Auth.OAuth2.Flows;

namespace Orbyt.Sandbox.Tests;

internal sealed class SandboxFlowInitializer(Uri sandbox) : GoogleAuthorizationCodeFlow.Initializer(
    new Uri(sandbox, "google-accounts/o/oauth2/v2/auth").ToString(),
    new Uri(sandbox, "google-oauth2/token").ToString(),
    new Uri(sandbox, "google-oauth2/revoke").ToString());
