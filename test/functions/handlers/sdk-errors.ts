/** DynamoDB's answer when a write's condition does not hold, as the document client throws it. */
export const conditionFailed = Object.assign(new Error('The conditional request failed'), {
  name: 'ConditionalCheckFailedException',
  $metadata: { httpStatusCode: 400 },
});
