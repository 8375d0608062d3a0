import type { Operation } from "../pool";
import { adminDeleteUser } from "./admin-delete-user";
import { adminGetUser } from "./admin-get-user";
import { adminUserGlobalSignOut } from "./admin-user-global-sign-out";
import { changePassword } from "./change-password";
import { confirmForgotPassword } from "./confirm-forgot-password";
import { confirmSignUp } from "./confirm-sign-up";
import { deleteUser } from "./delete-user";
import { forgotPassword } from "./forgot-password";
import { getUser } from "./get-user";
import { getUserAttributeVerificationCode } from "./get-user-attribute-verification-code";
import { globalSignOut } from "./global-sign-out";
import { initiateAuth } from "./initiate-auth";
import { resendConfirmationCode } from "./resend-confirmation-code";
import { respondToAuthChallenge } from "./respond-to-auth-challenge";
import { revokeToken } from "./revoke-token";
import { signUp } from "./sign-up";
import { updateUserAttributes } from "./update-user-attributes";
import { verifyUserAttribute } from "./verify-user-attribute";

/** The operations the emulator serves, by their X-Amz-Target names. */
export const operations: Readonly<Record<string, Operation>> = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetUser: getUser,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ChangePassword: changePassword,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  DeleteUser: deleteUser,
};
