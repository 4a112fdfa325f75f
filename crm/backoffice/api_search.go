package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiSearchResult is a search result in JSON: its provider as everywhere in
// the API, and its explanation with snake_case components.
type apiSearchResult struct {
	crm.SearchResult
	Provider apiProvider    `json:"provider"`
	Why      apiExplanation `json:"why"`
}

type apiExplanation struct {
	crm.Explanation
	Components apiComponents `json:"components"`
}

// apiComponents are the weighted parts of a score, each between 0 and its weight.
type apiComponents struct {
	Text     float64 `json:"text"`
	Distance float64 `json:"distance"`
	Price    float64 `json:"price"`
	Quality  float64 `json:"quality"`
	Qualiopi float64 `json:"qualiopi"`
}

func newAPIComponents(c crm.Components) apiComponents {
	return apiComponents{Text: c.Text, Distance: c.Distance, Price: c.Price, Quality: c.Quality, Qualiopi: c.Qualiopi}
}

// apiProviderSearch runs the matching search: every SearchQuery field is a
// query parameter. The answer carries the ranking weights.
func (h *handlers) apiProviderSearch(c *fiber.Ctx) error {
	q := crm.SearchQuery{Text: c.Query("q"), NSF: c.Query("nsf"), Region: c.Query("region"), Department: c.Query("department"),
		Near: c.Query("near"), Modality: c.Query("modality"), Intra: c.QueryBool("intra"), Inter: c.QueryBool("inter"),
		Qualiopi: c.Query("qualiopi"), CPF: c.QueryBool("cpf"), Language: c.Query("language")}
	var err error
	if s := c.Query("radius_km"); s != "" {
		if q.RadiusKm, err = strconv.ParseFloat(s, 64); err != nil || q.RadiusKm <= 0 {
			return invalid("radius_km", "error.decimal")
		}
	}
	if s := c.Query("max_price_cents"); s != "" {
		if q.MaxPrice, err = strconv.ParseInt(s, 10, 64); err != nil || q.MaxPrice <= 0 {
			return invalid("max_price_cents", "error.number")
		}
	}
	if q.Limit, err = queryInt(c, "limit"); err != nil {
		return err
	}
	if q.Offset, err = queryInt(c, "offset"); err != nil {
		return err
	}
	results, total, err := h.Search.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	items := make([]apiSearchResult, 0, len(results))
	for _, r := range results {
		items = append(items, apiSearchResult{SearchResult: r, Provider: newAPIProvider(r.Provider),
			Why: apiExplanation{Explanation: r.Why, Components: newAPIComponents(r.Why.Components)}})
	}
	// The service's paging: 20 by default, at most 100.
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	return c.JSON(fiber.Map{"items": items, "total": total, "limit": min(limit, 100), "offset": max(q.Offset, 0),
		"weights": apiComponents{Text: crm.WeightText, Distance: crm.WeightDistance, Price: crm.WeightPrice,
			Quality: crm.WeightQuality, Qualiopi: crm.WeightQualiopi}})
}

// queryInt reads an optional non-negative whole number of the query.
func queryInt(c *fiber.Ctx, name string) (int, error) {
	s := c.Query(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, invalid(name, "error.number")
	}
	return n, nil
}
