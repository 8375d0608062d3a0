import { z } from "zod";
import { Messages, ResourceNotFoundException, UserNotFoundException } from "../errors";
import { type Operation, attributeList } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ UserPoolId: Fields.userPoolId, Username: Fields.username });

/**
 * AdminGetUser (SigV4 in AWS; any signature is accepted here). Not covered by
 * PreventUserExistenceErrors (AWS API, AdminGetUser).
 */
export const adminGetUser: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  if (request.UserPoolId !== ctx.pool.id) throw new ResourceNotFoundException(`User pool ${request.UserPoolId} does not exist.`);
  const user = ctx.users.find(request.Username);
  if (user === undefined) throw new UserNotFoundException(Messages.userDoesNotExist);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    // Epoch seconds as JSON numbers: the SDK's deserializer rejects date strings.
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
};
