// Package geo owns the French geography reference data embedded in the
// binary: communes (with the municipal arrondissements of Paris, Lyon and
// Marseille), departments, regions and postal codes, plus accent-insensitive
// commune search and great-circle distances.
//
// The data is parsed lazily on first use, once, and is read-only afterwards,
// so every function is safe for concurrent use.
package geo

import (
	"math"
	"slices"
	"strings"
)

// Commune is a French commune or municipal arrondissement (COG 2026).
type Commune struct {
	Code        string   // INSEE code, e.g. "75056"; not the postal code
	Name        string   // official name with accents, e.g. "Saint-Étienne"
	Type        string   // "commune" or "arrondissement"
	Department  string   // department code, e.g. "42", "2A", "974"
	Region      string   // region code, e.g. "84"
	PostalCodes []string // shared with the index: treat as read-only
	Population  int      // INSEE legal population, 0 when unknown
	Lat, Lon    float64  // WGS84 degrees
	// HasCoordinates is false when Lat/Lon are the department centre used as
	// a fallback, or zero when the department has no centre either (the
	// overseas collectivities 975–989).
	HasCoordinates bool
}

// Department is a French department, including DROM and overseas collectivities.
type Department struct {
	Code       string
	Name       string
	Region     string // region code
	RegionName string
	Zone       string  // "metro", "drom" or "com"
	Lat, Lon   float64 // geographic centre; zero for the overseas collectivities
}

// Region is a French region, including the overseas pseudo-regions.
type Region struct {
	Code string
	Name string
	Zone string // "metro", "drom" or "com"
}

// Communes returns all communes and arrondissements sorted by INSEE code.
func Communes() []Commune {
	return slices.Clone(data().communes)
}

// CommuneByCode returns the commune or arrondissement with the given INSEE code.
func CommuneByCode(code string) (Commune, bool) {
	ix := data()
	i, ok := ix.communeByCode[code]
	if !ok {
		return Commune{}, false
	}
	return ix.communes[i], true
}

// CommunesByPostalCode returns the communes served by a postal code, sorted
// by INSEE code; for Paris, Lyon and Marseille both the city and the
// arrondissement are returned.
func CommunesByPostalCode(cp string) []Commune {
	ix := data()
	return ix.pick(ix.byPostalCode[strings.TrimSpace(cp)])
}

// Departments returns all departments sorted by code.
func Departments() []Department {
	return slices.Clone(data().departments)
}

// DepartmentByCode returns the department with the given code ("01", "2A", "974").
func DepartmentByCode(code string) (Department, bool) {
	ix := data()
	i, ok := ix.departmentByCode[code]
	if !ok {
		return Department{}, false
	}
	return ix.departments[i], true
}

// Regions returns all regions sorted by code.
func Regions() []Region {
	return slices.Clone(data().regions)
}

// RegionByCode returns the region with the given code ("11", "84", "01").
func RegionByCode(code string) (Region, bool) {
	ix := data()
	i, ok := ix.regionByCode[code]
	if !ok {
		return Region{}, false
	}
	return ix.regions[i], true
}

// earthRadiusKm is the IUGG mean Earth radius.
const earthRadiusKm = 6371.0088

// DistanceKm returns the great-circle (haversine) distance in kilometres
// between two WGS84 points given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	// min guards against a > 1 from rounding on antipodal points.
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(a, 1)))
}
