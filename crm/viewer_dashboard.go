package crm

import (
	"context"
	"fmt"
)

// OwnerFor returns the name and e-mail of the active staff member following
// a request v may see (its owner: the company's account manager unless
// staff chose another), for the extranet to tell them of a new need. A
// request v may not see, or one nobody active follows, is errs.ErrNotFound.
func (s *Requests) OwnerFor(ctx context.Context, v Viewer, id int64) (MailAddress, error) {
	scope, args := v.scope(RecordRequest)
	var a MailAddress
	if err := s.db.Get(ctx, &a, `SELECT u.name, u.email FROM requests r JOIN staff_users u ON u.id = r.owner_id
		WHERE r.id = ? AND u.active = TRUE AND `+scope, append([]any{id}, args...)...); err != nil {
		return MailAddress{}, fmt.Errorf("crm: owner of request %d: %w", id, err)
	}
	return a, nil
}
