import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface SignInProps {
  readonly stage: string;
  /** The existing user pool (parameter CognitoUserPoolId). */
  readonly userPoolId: string;
}

/**
 * The web page's sign-in (issue 13): the Cognito app client of the service, in the existing user
 * pool, owned by this stack so that it always allows what the page at `/` does — the
 * authorization-code grant with PKCE (a public client: no secret, the browser holds no secret),
 * redirect and sign-out back to `https://<ServiceHostName>/`. Its id is OMS_JWT_CLIENT_ID: the
 * `aud` of ID tokens and the `client_id` of users' access tokens. The Hosted UI's base URL
 * (parameter CognitoDomain) goes to the API task as OMS_COGNITO_DOMAIN.
 */
export class SignIn extends Construct {
  readonly appClient: cognito.CfnUserPoolClient;
  readonly cognitoDomain: string;
  readonly pageUrl: string;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    const host = new CfnParameter(scope, 'ServiceHostName', {
      type: 'String',
      description: 'The DNS name users reach the service at (pointed at ApiUrl), e.g. oms.example.com: the web page signs in and out back to https://<it>/',
      allowedPattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$',
    });
    const domain = new CfnParameter(scope, 'CognitoDomain', {
      type: 'String',
      description: "The user pool's Hosted UI base URL (https://<prefix>.auth.<region>.amazoncognito.com, or its custom domain)",
      allowedPattern: '^https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?$',
    });
    this.cognitoDomain = domain.valueAsString;
    this.pageUrl = Fn.join('', ['https://', host.valueAsString, '/']);
    this.appClient = new cognito.CfnUserPoolClient(this, 'AppClient', {
      userPoolId: props.userPoolId,
      clientName: `oms-${props.stage}`,
      generateSecret: false,
      allowedOAuthFlowsUserPoolClient: true,
      allowedOAuthFlows: ['code'],
      allowedOAuthScopes: ['openid', 'email', 'profile'],
      callbackUrLs: [this.pageUrl],
      logoutUrLs: [this.pageUrl],
      supportedIdentityProviders: ['COGNITO'],
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 12,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'hours' },
    });
  }
}
